import { compile, ROOM_EVENTS_CHANNEL, type RoomEvent, RoomEvents } from '@majlis/protocol';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, createRoom, expectStatus, type Harness, setup, signup, type TestUser } from './helper.js';

const checkers = Object.fromEntries(
	Object.entries(RoomEvents).map(([type, schema]) => [type, compile(schema)])
);

let h: Harness;
let host: TestUser;
let stop: (() => Promise<void>) | undefined;
const received: RoomEvent[] = [];

beforeAll(async () => {
	h = await setup();
	host = await signup(h.app);
	// Subscribed like an SFU node; with Redis other suites publish on the channel too, so tests filter by room.
	stop = await h.bus.subscribe(ROOM_EVENTS_CHANNEL, (message) => {
		received.push(JSON.parse(message) as RoomEvent);
	});
});
afterAll(async () => {
	await stop?.();
	await h?.close();
});

/**
 * The events for `roomId` once `count` arrived (or what arrived in 2 s), each checked against its schema.
 * The moderation log's `room.moderation` events ride along with most changes; they are left out unless
 * asked for, so each test states the room-state events it expects exactly.
 */
async function eventsFor(roomId: string, count: number, withLog = false): Promise<RoomEvent[]> {
	const deadline = Date.now() + 2000;
	let mine: RoomEvent[] = [];
	while (Date.now() < deadline) {
		mine = received.filter((e) => e.data.roomId === roomId && (withLog || e.type !== 'room.moderation'));
		if (mine.length >= count) {
			break;
		}
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	for (const event of mine) {
		expect(checkers[event.type]?.explain(event.data)).toBeUndefined();
	}

	return mine;
}

test('appointments: room.role with the new role; removal falls back to listener, or speaker for speaker guests', async () => {
	const [a, b] = [await signup(h.app), await signup(h.app)];
	const room = await createRoom(h.app, host.token);
	const base = `/api/rooms/${room.id}`;
	await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${a.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${a.user.id}`, { token: host.token }); // no change
	await expectStatus(204, h.app, 'DELETE', `${base}/cohosts/${a.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'PUT', `${base}/guests/${b.user.id}`, {
		token: host.token,
		body: { kind: 'speaker' },
	});
	await expectStatus(204, h.app, 'PUT', `${base}/moderators/${b.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'DELETE', `${base}/moderators/${b.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'DELETE', `${base}/moderators/${b.user.id}`, { token: host.token }); // no change
	expect(await eventsFor(room.id, 5)).toEqual([
		{ type: 'room.role', data: { roomId: room.id, userId: a.user.id, role: 'cohost' } },
		{ type: 'room.role', data: { roomId: room.id, userId: a.user.id, role: 'listener' } },
		{ type: 'room.guest', data: { roomId: room.id, userId: b.user.id, kind: 'speaker' } },
		{ type: 'room.role', data: { roomId: room.id, userId: b.user.id, role: 'moderator' } },
		{ type: 'room.role', data: { roomId: room.id, userId: b.user.id, role: 'speaker' } },
	]);
});

test('guest list: room.guest with the kind, null when removed; no event without a change', async () => {
	const guest = await signup(h.app);
	const room = await createRoom(h.app, host.token);
	const url = `/api/rooms/${room.id}/guests/${guest.user.id}`;
	await expectStatus(204, h.app, 'PUT', url, { token: host.token, body: { kind: 'listener' } });
	await expectStatus(204, h.app, 'PUT', url, { token: host.token, body: { kind: 'listener' } });
	await expectStatus(204, h.app, 'PUT', url, { token: host.token, body: { kind: 'speaker' } });
	await expectStatus(204, h.app, 'DELETE', url, { token: host.token });
	await expectStatus(204, h.app, 'DELETE', url, { token: host.token });
	expect((await eventsFor(room.id, 3)).map((e) => e.data)).toEqual([
		{ roomId: room.id, userId: guest.user.id, kind: 'listener' },
		{ roomId: room.id, userId: guest.user.id, kind: 'speaker' },
		{ roomId: room.id, userId: guest.user.id, kind: null },
	]);
});

test('settings: room.updated with the live settings; end: room.ended', async () => {
	const room = await createRoom(h.app, host.token);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
	await expectStatus(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
		token: host.token,
		body: { title: 'Renamed', speakRequests: 'invited', maxSpeakers: 7 },
	});
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
	expect(await eventsFor(room.id, 2)).toEqual([
		{
			type: 'room.updated',
			data: {
				roomId: room.id,
				room: { id: room.id, title: 'Renamed', speakRequests: 'invited', maxSpeakers: 7 },
			},
		},
		{ type: 'room.ended', data: { roomId: room.id } },
	]);
});

test('refused changes publish nothing', async () => {
	const [stranger, target] = [await signup(h.app), await signup(h.app)];
	const room = await createRoom(h.app, host.token);
	const base = `/api/rooms/${room.id}`;
	expect(
		(await call(h.app, 'PUT', `${base}/cohosts/${target.user.id}`, { token: stranger.token })).status
	).toBe(403);
	expect((await call(h.app, 'PATCH', base, { token: stranger.token, body: { title: 'x' } })).status).toBe(
		403
	);
	expect((await call(h.app, 'POST', `${base}/end`, { token: host.token })).status).toBe(409);
	// A marker event proves delivery works, so the absence of the others is meaningful.
	await expectStatus(200, h.app, 'PATCH', base, { token: host.token, body: { title: 'marker' } });
	expect((await eventsFor(room.id, 1)).map((e) => e.type)).toEqual(['room.updated']);
});

test('lifting a removal publishes room.unbanned, so a live room lets the person back in; once', async () => {
	const removed = await signup(h.app);
	const room = await createRoom(h.app, host.token);
	const sfu = await h.app.tokens.signServiceToken('sfu');
	await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/bans`, {
		token: sfu,
		body: { userId: removed.user.id, by: host.user.id },
	});
	const unban = `/api/rooms/${room.id}/bans/${removed.user.id}`;
	await expectStatus(204, h.app, 'DELETE', unban, { token: host.token });
	await expectStatus(204, h.app, 'DELETE', unban, { token: host.token }); // nothing left to lift
	await expectStatus(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
		token: host.token,
		body: { title: 'marker' },
	});
	expect((await eventsFor(room.id, 2)).map((e) => e.type)).toEqual(['room.unbanned', 'room.updated']);
	expect((await eventsFor(room.id, 2))[0]?.data).toEqual({ roomId: room.id, userId: removed.user.id });
});

test('moderation acts done through the API reach the live room as moderation-log entries', async () => {
	const a = await signup(h.app);
	const room = await createRoom(h.app, host.token);
	const base = `/api/rooms/${room.id}`;
	await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${a.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'DELETE', `${base}/cohosts/${a.user.id}`, { token: host.token });
	const log = (await eventsFor(room.id, 4, true)).filter((e) => e.type === 'room.moderation');
	expect(
		log.map((e) => {
			const { entry } = e.data as {
				entry: { action: string; actor: { id: string }; target: { id: string }; detail: string };
			};
			return [entry.action, entry.actor.id, entry.target.id, entry.detail];
		})
	).toEqual([
		['roleChange', host.user.id, a.user.id, 'cohost'],
		['roleChange', host.user.id, a.user.id, 'listener'],
	]);
});
