import { CloseCode, ROOM_EVENTS_CHANNEL } from '@majlis/protocol';
import { type Bus, deriveBusKey, logBusRejections, SignedBus } from '@majlis/server-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Harness } from './support/harness.js';

// Bus messages are signed with the cluster secret (finding 3 of the security review): whoever can publish
// to Redis without that secret cannot end a room or speak for a node. The forger here publishes straight
// to Redis with ioredis (REDIS_URL), or on the in-process bus under the signing layer (embedded mode).

let h: Harness;
let raw: { publish(channel: string, message: string): Promise<unknown>; close(): Promise<unknown> };
beforeAll(async () => {
	h = await Harness.start();
	const url = process.env.REDIS_URL;
	if (url) {
		const redis = new Redis(url);
		raw = { publish: (c, m) => redis.publish(c, m), close: () => redis.quit() };
	} else {
		const inner = (h.bus as SignedBus).inner;
		raw = { publish: (c, m) => inner.publish(c, m), close: async () => undefined };
	}
});
afterAll(async () => {
	await raw?.close();
	await h?.close();
});

function rejectedMetric(body: string): number {
	return Number(/^majlis_sfu_bus_rejected_messages (\d+)$/m.exec(body)?.[1]);
}

test("a forged room event published on Redis is dropped and counted; the API's signed one ends the room", async () => {
	const host = await h.user('host');
	const room = await h.room(host);
	const { client } = await h.join(host, room.id);
	const before = rejectedMetric((await h.node.sfu.metrics()).body);
	const ended = JSON.stringify({ type: 'room.ended', data: { roomId: room.id } });

	// Unsigned, signed with another secret, and a genuine signature moved onto another body.
	await raw.publish(ROOM_EVENTS_CHANNEL, ended);
	const stranger = new SignedBus(h.bus as Bus, deriveBusKey('not-the-cluster-secret-but-32-bytes-long'));
	await raw.publish(ROOM_EVENTS_CHANNEL, stranger.seal(ROOM_EVENTS_CHANNEL, ended));
	const genuine = (h.bus as SignedBus).seal(ROOM_EVENTS_CHANNEL, '{"type":"room.updated","data":{}}');
	await raw.publish(ROOM_EVENTS_CHANNEL, genuine.replace(/\.[^.]*$/, `.${ended}`));

	await expect.poll(async () => rejectedMetric((await h.node.sfu.metrics()).body)).toBe(before + 3);
	// No effect: the room is open and the host can still act in it.
	await client.request('listeners:list', { offset: 0, limit: 10 });
	expect(client.all('room:ended')).toEqual([]);

	// The control: the API ends the room and publishes the same event, signed: it takes effect.
	await h.call('POST', `/api/rooms/${room.id}/end`, host.token);
	expect((await client.closed).code).toBe(CloseCode.RoomEnded);
});

test('rejections are logged at most once a second, with the count of those not logged', () => {
	const lines: object[] = [];
	let now = 0;
	const onRejected = logBusRejections({ warn: (obj) => lines.push(obj) }, () => now);
	onRejected('majlis:room-events', 'unsigned');
	onRejected('majlis:room-events', 'bad-signature');
	onRejected('majlis:room-events', 'bad-signature');
	now = 1500;
	onRejected('majlis:sfu-node:x', 'stale');
	expect(lines).toEqual([
		{ channel: 'majlis:room-events', reason: 'unsigned', unlogged: 0 },
		{ channel: 'majlis:sfu-node:x', reason: 'stale', unlogged: 2 },
	]);
});

test('a signed message older than the replay window is refused', () => {
	let now = 1_000_000;
	const bus = new SignedBus(
		h.bus as Bus,
		deriveBusKey('a-cluster-secret-of-at-least-32-bytes'),
		undefined,
		() => now
	);
	const sealed = bus.seal('c', 'body');
	expect(bus.open('c', sealed)).toEqual({ body: 'body', mac: expect.any(String) });
	expect(bus.open('other-channel', sealed)).toEqual({ reason: 'bad-signature' });
	now += 61_000;
	expect(bus.open('c', sealed)).toEqual({ reason: 'stale' });
});
