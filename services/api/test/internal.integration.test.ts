import { randomUUID } from 'node:crypto';
import { compile, type InternalRoom, InternalRoomSchema, type Room, roomNodeKey } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	appointStageRoles,
	call,
	createRoom,
	expectStatus,
	type Harness,
	setup,
	signup,
	type TestUser,
} from './helper.js';

const internalRoom = compile(InternalRoomSchema);

let h: Harness;
let host: TestUser;
let sfu: string;
beforeAll(async () => {
	h = await setup();
	host = await signup(h.app);
	sfu = await h.app.tokens.signServiceToken('sfu');
});
afterAll(() => h?.close());

async function liveRoomWithEveryone() {
	const [cohost, mod, speaker, listener] = [
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
	];
	const room = await createRoom(h.app, host.token, {
		title: 'Internal',
		speakRequests: 'invited',
		maxSpeakers: 6,
	});
	const base = `/api/rooms/${room.id}`;
	await appointStageRoles(h.app, host, room.id, { cohost, moderator: mod, speaker });
	await expectStatus(204, h.app, 'PUT', `${base}/guests/${listener.user.id}`, {
		token: host.token,
		body: { kind: 'listener' },
	});
	await expectStatus(200, h.app, 'POST', `${base}/start`, { token: host.token });

	return { room, cohost, mod, speaker, listener };
}

describe('service authentication', () => {
	test('internal routes need an SFU service token; user tokens and tickets are 401', async () => {
		const { room } = await liveRoomWithEveryone();
		const url = `/api/internal/rooms/${room.id}`;
		const ticket = await h.app.tokens.signTicket({
			sub: host.user.id,
			rid: room.id,
			role: 'host',
			hdl: host.user.handle,
			name: 'x',
			sg: false,
			node: 'n',
		});
		for (const token of [
			undefined,
			host.token,
			ticket,
			await h.app.tokens.signServiceToken('web'),
			'garbage',
		]) {
			const res = await call(h.app, 'GET', url, { token });
			expect(res.status).toBe(401);
			expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
		}
		expect((await call(h.app, 'GET', url, { token: sfu })).status).toBe(200);
		// And a service token is no user token.
		expect((await call(h.app, 'GET', '/api/me', { token: sfu })).status).toBe(401);
	});
});

describe('GET /api/internal/rooms/:id', () => {
	test('returns settings, state, host, appointments, guests and bans', async () => {
		const { room, cohost, mod, speaker, listener } = await liveRoomWithEveryone();
		const res = await expectStatus<InternalRoom>(200, h.app, 'GET', `/api/internal/rooms/${room.id}`, {
			token: sfu,
		});
		expect(internalRoom.explain(res)).toBeUndefined();
		expect(res).toEqual({
			id: room.id,
			title: 'Internal',
			speakRequests: 'invited',
			maxSpeakers: 6,
			state: 'live',
			hostId: host.user.id,
			cohosts: [{ id: cohost.user.id, handle: cohost.user.handle, displayName: cohost.user.displayName }],
			moderators: [{ id: mod.user.id, handle: mod.user.handle, displayName: mod.user.displayName }],
			guests: [
				{ userId: speaker.user.id, kind: 'speaker' },
				{ userId: listener.user.id, kind: 'listener' },
			],
			banned: [],
		});
		expect((await call(h.app, 'GET', `/api/internal/rooms/${randomUUID()}`, { token: sfu })).status).toBe(
			404
		);
	});
});

describe('POST /api/internal/rooms/:id/bans', () => {
	test('records the removal: listed, refused on join, appointment and guest entry gone; idempotent', async () => {
		const { room, mod, speaker } = await liveRoomWithEveryone();
		const url = `/api/internal/rooms/${room.id}/bans`;
		for (const user of [mod, speaker]) {
			await expectStatus(204, h.app, 'POST', url, {
				token: sfu,
				body: { userId: user.user.id, by: host.user.id },
			});
		}
		await expectStatus(204, h.app, 'POST', url, {
			token: sfu,
			body: { userId: mod.user.id, by: host.user.id },
		});
		const after = await expectStatus<InternalRoom>(200, h.app, 'GET', `/api/internal/rooms/${room.id}`, {
			token: sfu,
		});
		expect(after.banned.sort()).toEqual([mod.user.id, speaker.user.id].sort());
		expect(after.moderators).toEqual([]);
		expect(after.guests.map((g) => g.userId)).not.toContain(speaker.user.id);
		const join = await call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: mod.token });
		expect(join.status).toBe(403);
		expect(join.body).toMatchObject({ error: { code: 'banned' } });
	});

	test('refuses banning the host (409), unknown rooms and users (404), bad bodies (400)', async () => {
		const { room, listener } = await liveRoomWithEveryone();
		const url = `/api/internal/rooms/${room.id}/bans`;
		expect(
			(await call(h.app, 'POST', url, { token: sfu, body: { userId: host.user.id, by: host.user.id } }))
				.status
		).toBe(409);
		expect(
			(await call(h.app, 'POST', url, { token: sfu, body: { userId: randomUUID(), by: host.user.id } }))
				.status
		).toBe(404);
		expect(
			(await call(h.app, 'POST', url, { token: sfu, body: { userId: listener.user.id, by: randomUUID() } }))
				.status
		).toBe(404);
		expect(
			(
				await call(h.app, 'POST', `/api/internal/rooms/${randomUUID()}/bans`, {
					token: sfu,
					body: { userId: listener.user.id, by: host.user.id },
				})
			).status
		).toBe(404);
		const bad = await call(h.app, 'POST', url, { token: sfu, body: { userId: 'me' } });
		expect(bad.status).toBe(400);
		expect(bad.body).toMatchObject({ error: { fields: { userId: 'must be a UUID', by: 'is required' } } });
	});
});

describe('POST /api/internal/rooms/:id/end', () => {
	test('ends a live room (idempotently) and forgets its node; a scheduled room is 409', async () => {
		const { room } = await liveRoomWithEveryone();
		await h.bus.set(roomNodeKey(room.id), 'some-node');
		const url = `/api/internal/rooms/${room.id}/end`;
		await expectStatus(204, h.app, 'POST', url, { token: sfu, body: { by: host.user.id } });
		await expectStatus(204, h.app, 'POST', url, { token: sfu, body: { by: null } });
		const ended = await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${room.id}`);
		expect(ended.state).toBe('ended');
		expect(ended.endedAt).not.toBeNull();
		expect(await h.bus.get(roomNodeKey(room.id))).toBeNull();
		const scheduled = await createRoom(h.app, host.token);
		expect(
			(
				await call(h.app, 'POST', `/api/internal/rooms/${scheduled.id}/end`, {
					token: sfu,
					body: { by: null },
				})
			).status
		).toBe(409);
	});
});

describe('POST /api/internal/rooms/:id/host', () => {
	test('a co-host takes over; the old host becomes a co-host', async () => {
		const { room, cohost } = await liveRoomWithEveryone();
		const res = await expectStatus<InternalRoom>(200, h.app, 'POST', `/api/internal/rooms/${room.id}/host`, {
			token: sfu,
			body: { userId: cohost.user.id },
		});
		expect(res.hostId).toBe(cohost.user.id);
		expect(res.cohosts.map((u) => u.id)).toEqual([host.user.id]);
		const seen = await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${room.id}`, {
			token: cohost.token,
		});
		expect(seen.host.id).toBe(cohost.user.id);
		expect(seen.myRole).toBe('host');
		// The new host may end the room; the old one may not any more.
		await expectStatus(403, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: cohost.token });
	});

	test('only a co-host of a live room can take over (409)', async () => {
		const { room, mod } = await liveRoomWithEveryone();
		const url = `/api/internal/rooms/${room.id}/host`;
		expect((await call(h.app, 'POST', url, { token: sfu, body: { userId: mod.user.id } })).status).toBe(409);
		const scheduled = await createRoom(h.app, host.token);
		const res = await call(h.app, 'POST', `/api/internal/rooms/${scheduled.id}/host`, {
			token: sfu,
			body: { userId: mod.user.id },
		});
		expect(res.status).toBe(409);
		expect(res.body).toMatchObject({ error: { code: 'invalid_state' } });
	});
});
