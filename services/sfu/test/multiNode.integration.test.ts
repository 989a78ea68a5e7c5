import { randomBytes } from 'node:crypto';
import { CloseCode, parseSfuNodes, roomNodeKey, SFU_NODES_KEY } from '@majlis/protocol';
import { createTokenService } from '@majlis/server-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness, isolatedRedisUrl, JWT_SECRET, type SfuNodeHandle } from './support/harness.js';
import { Participant } from './support/Participant.js';
import { useProcessSuite } from './support/processSuite.js';
import { ApiProcess, SfuProcess } from './support/SfuProcess.js';
import { receivedDuring } from './support/webrtc.js';

const tokens = createTokenService(JWT_SECRET);

// Two SFU nodes on one bus (Redis with REDIS_URL, else one in-process MemoryBus) and one API. The room's
// node takes one consumer (capacity 1), so the API places further listeners on the second node, which
// relays the stage through a PipeTransport from the first. On Redis, a database of its own keeps other
// test files' idle nodes out of the placement.
describe('a room larger than its node: listeners overflow to a relay node', () => {
	let h: Harness;
	let origin: SfuNodeHandle;
	let relay: SfuNodeHandle;
	const people: Participant[] = [];
	const prefix = `0000-${randomBytes(3).toString('hex')}`;

	beforeAll(async () => {
		h = await Harness.start({ nodeId: `${prefix}-origin`, capacity: 1 }, isolatedRedisUrl(2));
		origin = h.node;
		relay = await h.addNode({ nodeId: `${prefix}-relay` });
	});

	afterAll(async () => {
		await Promise.all(people.map((p) => p.close()));
		await h?.bus.hdel(SFU_NODES_KEY, origin.sfu.nodeId, relay.sfu.nodeId).catch(() => undefined);
		await h?.close();
	});

	async function join(name: string, options: { speak?: boolean; listen?: boolean }) {
		const user = await h.user(name);
		const p = await Participant.join(h, user, roomId, { ...options, retryMs: 100 });
		people.push(p);

		return p;
	}

	let roomId: string;

	test('listeners on both nodes hear the stage; room requests, moderation and the end cross nodes', async () => {
		const hostUser = await h.user('host');
		roomId = (await h.room(hostUser, {}, origin)).id;
		const host = await Participant.join(h, hostUser, roomId, { speak: true, listen: true, retryMs: 100 });
		people.push(host);
		await host.client.request('mic:unmute');
		const near = await join('near', { listen: true });
		expect(near.client.url).toBe(`${origin.httpUrl.replace('http', 'ws')}/ws`);
		await expect.poll(() => near.received(hostUser.user.id), { timeout: 10_000 }).toBeGreaterThan(10);

		// The origin's heartbeat now reports it full: the API sends plain listeners to the relay node.
		await expect
			.poll(
				async () =>
					parseSfuNodes(await h.bus.hgetall(SFU_NODES_KEY)).find((n) => n.id === origin.sfu.nodeId)
						?.consumers,
				{ timeout: 5_000 }
			)
			.toBeGreaterThanOrEqual(1);
		const { signallingUrl, ticket } = await h.ticket(await h.user('probe'), roomId);
		expect(signallingUrl).toBe(`${relay.httpUrl.replace('http', 'ws')}/ws`);
		expect(await tokens.verifyTicket(ticket)).toMatchObject({
			node: relay.sfu.nodeId,
			org: origin.sfu.nodeId,
		});

		const far1 = await join('far1', { listen: true });
		const far2 = await join('far2', { listen: true });
		for (const far of [far1, far2]) {
			expect(far.client.url).toBe(signallingUrl);
			expect(far.snapshot.stage.map((m) => m.userId)).toEqual([hostUser.user.id]);
		}
		// Everyone hears the host: on the origin, and on the relay through the inter-node pipe.
		for (const p of [near, far1, far2]) {
			await expect.poll(() => p.received(hostUser.user.id), { timeout: 10_000 }).toBeGreaterThan(25);
		}
		expect(relay.sfu.relay(roomId)?.peerCount).toBe(2);
		expect(origin.sfu.room(roomId)?.peerCount).toBe(4);
		// A relay listener's reaction is counted on the origin and reaches everyone, in one message per tick.
		const marks = [host, near, far2].map((p) => p.client.mark);
		await far1.client.request('reaction:send', { reaction: 'clap', to: hostUser.user.id });
		for (const [i, p] of [host, near, far2].entries()) {
			expect(await p.client.waitFor('reactions', () => true, { from: marks[i] })).toEqual({
				counts: [{ reaction: 'clap', count: 1 }],
				aimed: [{ userId: hostUser.user.id, counts: [{ reaction: 'clap', count: 1 }] }],
			});
		}
		// One pipe per producer feeds the relay, whatever the number of its listeners.
		expect(relay.sfu.stats()).toMatchObject({ rooms: 1, peers: 2, consumers: 2 });
		// Both sides show in /metrics.
		expect((await relay.sfu.metrics()).body).toMatch(/^majlis_sfu_relay_rooms 1$/m);
		expect((await origin.sfu.metrics()).body).toMatch(/^majlis_sfu_relayed_peers 2$/m);
		// The room's count includes the relay's listeners, for everyone.
		await expect.poll(() => host.client.all('listeners:count').at(-1)?.count, { timeout: 5_000 }).toBe(3);
		await expect.poll(() => far1.client.all('listeners:count').at(-1)?.count, { timeout: 5_000 }).toBe(3);

		// Mute on the origin stops the packets on the relay (a paused producer); unmute resumes them.
		await host.client.request('mic:mute');
		await far1.client.waitFor('stage:member', (m) => m.userId === hostUser.user.id && m.muted);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(await receivedDuring(far1, hostUser.user.id, 500)).toBe(0);
		await host.client.request('mic:unmute');
		await expect
			.poll(() => receivedDuring(far1, hostUser.user.id, 200), { timeout: 5_000 })
			.toBeGreaterThan(5);

		// A relay listener's hand reaches the host; the listener list is the room's, across nodes.
		const mark = host.client.mark;
		await far1.client.request('hand:raise');
		await host.client.waitFor('hand:raised', (hand) => hand.user.id === far1.user.user.id, { from: mark });
		const list = await host.client.request('listeners:list', {});
		expect(list.items.map((l) => l.id).sort()).toEqual(
			[near.user.user.id, far1.user.user.id, far2.user.user.id].sort()
		);
		// Invited and accepted on the relay: they are sent to the origin, where they come back on stage.
		await host.client.request('stage:invite', { userId: far1.user.user.id });
		await far1.client.waitFor('stage:invited');
		const firstClient = far1.client;
		await firstClient.request('stage:accept');
		expect((await firstClient.closed).code).toBe(CloseCode.Moving);
		await expect.poll(() => far1.rejoins, { timeout: 10_000 }).toBe(1);
		expect(far1.client.url).toBe(`${origin.httpUrl.replace('http', 'ws')}/ws`);
		expect(far1.snapshot.self.onStage).toBe(true);
		expect(relay.sfu.relay(roomId)?.peerCount).toBe(1);

		// Removing a relay listener closes their socket on the relay node with 4003.
		await host.client.request('peer:remove', { userId: far2.user.user.id });
		expect((await far2.client.closed).code).toBe(CloseCode.Removed);
		// The relay had nobody left: it closed its side and the origin its link.
		await expect.poll(() => relay.sfu.relay(roomId), { timeout: 5_000 }).toBeUndefined();

		// A new overflow listener reopens the relay; the host ends the room: it ends on both nodes.
		const far3 = await join('far3', { listen: true });
		expect(far3.client.url).toBe(signallingUrl);
		await expect.poll(() => far3.received(hostUser.user.id), { timeout: 10_000 }).toBeGreaterThan(10);
		await host.client.request('room:end');
		expect((await far3.client.closed).code).toBe(CloseCode.RoomEnded);
		expect(far3.client.all('room:ended').at(-1)).toEqual({ reason: 'host' });
		await expect.poll(() => relay.sfu.relay(roomId), { timeout: 5_000 }).toBeUndefined();
		expect(h.problems()).toEqual([]);
	}, 60_000);
});

const REDIS_URL = isolatedRedisUrl(3);
if (!REDIS_URL) {
	console.warn(
		'[majlis] multi-node process test skipped: it needs REDIS_URL (separate SFU and API processes meet only through Redis)'
	);
}

// The deployed shape on one machine: 2 SFU processes and 2 API processes on loopback, sharing the test's
// Postgres database and Redis. Tickets come from both APIs; listeners land on both SFU nodes.
describe.skipIf(!REDIS_URL)('2 SFU processes and 2 API processes share Postgres and Redis', () => {
	const suite = useProcessSuite(REDIS_URL);
	const { processes, people } = suite;
	const prefix = `0000-${randomBytes(3).toString('hex')}`;

	test('the room overflows from node a to node b; listeners on both hear the host; when a dies, all are back on b', async () => {
		const { h } = suite;
		const [apiA, apiB] = await Promise.all(
			[0, 1].map(() =>
				ApiProcess.start({ databaseUrl: h.db.url, redisUrl: REDIS_URL!, jwtSecret: JWT_SECRET })
			)
		);
		processes.push(apiA!, apiB!);
		const common = { redisUrl: REDIS_URL!, jwtSecret: JWT_SECRET };
		const [a, b] = await Promise.all([
			SfuProcess.start({
				...common,
				nodeId: `${prefix}-a`,
				apiUrl: apiA!.httpUrl,
				env: { SFU_CAPACITY: '1' },
			}),
			SfuProcess.start({ ...common, nodeId: `${prefix}-b`, apiUrl: apiB!.httpUrl }),
		]);
		processes.push(a!, b!);
		const wsOf = (node: SfuProcess) => `${node.httpUrl.replace('http', 'ws')}/ws`;

		const hostUser = await h.user('host');
		const roomId = (await h.room(hostUser)).id;
		await h.bus.set(roomNodeKey(roomId), a!.nodeId);
		const host = await Participant.join(h, hostUser, roomId, { speak: true, api: apiA!.httpUrl });
		people.push(host);
		await host.client.request('mic:unmute');
		expect(host.client.url).toBe(wsOf(a!));
		const listener = async (name: string, api: ApiProcess) => {
			const p = await Participant.join(h, await h.user(name), roomId, { listen: true, api: api.httpUrl });
			people.push(p);

			return p;
		};
		const near = await listener('near', apiB!);
		expect(near.client.url).toBe(wsOf(a!));
		await expect.poll(() => near.received(hostUser.user.id), { timeout: 10_000 }).toBeGreaterThan(10);
		await expect
			.poll(
				async () =>
					parseSfuNodes(await h.bus.hgetall(SFU_NODES_KEY)).find((n) => n.id === a!.nodeId)?.consumers,
				{ timeout: 5_000 }
			)
			.toBeGreaterThanOrEqual(1);
		const far = [await listener('far1', apiA!), await listener('far2', apiB!)];
		for (const p of [near, ...far]) {
			await expect.poll(() => p.received(hostUser.user.id), { timeout: 10_000 }).toBeGreaterThan(25);
		}
		expect(far.map((p) => p.client.url)).toEqual([wsOf(b!), wsOf(b!)]);
		await expect.poll(() => host.client.all('listeners:count').at(-1)?.count, { timeout: 5_000 }).toBe(3);

		// The origin process dies: the relay sees it stop beating and sends its listeners back through the
		// API, which re-places the room on b; everyone (the host too) hears the host again there.
		a!.kill('SIGKILL');
		for (const p of [host, near, ...far]) {
			await expect.poll(() => p.rejoins, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
		}
		expect(far.map((p) => p.closes[0])).toEqual([CloseCode.Moving, CloseCode.Moving]);
		for (const p of [near, ...far]) {
			expect(p.client.url).toBe(wsOf(b!));
			const before = p.received(hostUser.user.id);
			await expect.poll(() => p.received(hostUser.user.id) - before, { timeout: 10_000 }).toBeGreaterThan(10);
		}
		expect(h.problems()).toEqual([]);
	}, 90_000);
});
