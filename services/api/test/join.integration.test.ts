import {
	type JoinResponse,
	type LiveStateData,
	type Room,
	roomLiveKey,
	roomNodeKey,
	SFU_NODES_KEY,
	TICKET_TTL_SECONDS,
	type User,
} from '@majlis/protocol';
import { createTokenService } from '@majlis/server-kit';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
	appointStageRoles,
	call,
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	JWT_SECRET,
	registerNode,
	setup,
	signup,
	type TestUser,
} from './helper.js';

let h: Harness;
let host: TestUser;
let listener: TestUser;
const tokens = createTokenService(JWT_SECRET);

beforeAll(async () => {
	// Own Redis database: these tests empty and fill the (global) SFU node registry.
	h = await setup({ bus: createTestBus(13) });
	host = await signup(h.app);
	listener = await signup(h.app);
});
afterEach(async () => {
	await h.bus.del(SFU_NODES_KEY);
});
afterAll(() => h?.close());

async function liveRoom(fields: Record<string, unknown> = {}) {
	const room = await createRoom(h.app, host.token, fields);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });

	return room;
}

describe('POST /api/rooms/:id/join', () => {
	test('returns the serving node’s URL and a ticket the SFU verifies with the right claims', async () => {
		const node = await registerNode(h.bus);
		const room = await liveRoom();
		const before = Math.floor(Date.now() / 1000);
		const res = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, {
			token: listener.token,
		});
		expect(res.signallingUrl).toBe(node.url);
		expect(res.role).toBe('listener');
		const claims = await tokens.verifyTicket(res.ticket);
		expect(claims).toEqual({
			sub: listener.user.id,
			rid: room.id,
			role: 'listener',
			hdl: listener.user.handle,
			name: listener.user.displayName,
			sg: false,
			node: node.id,
			// Single use: the SFU records this id when the ticket is used.
			jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		const { exp } = JSON.parse(Buffer.from(res.ticket.split('.')[1]!, 'base64url').toString()) as {
			exp: number;
		};
		expect(exp - before).toBeGreaterThanOrEqual(TICKET_TTL_SECONDS - 1);
		expect(exp - before).toBeLessThanOrEqual(TICKET_TTL_SECONDS + 1);
		// The placement is recorded for the SFU and later joins.
		expect(await h.bus.get(roomNodeKey(room.id))).toBe(node.id);
	});

	test('a join ticket is not a user token, and a user token is not a ticket', async () => {
		await registerNode(h.bus);
		const room = await liveRoom();
		const { ticket } = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, {
			token: listener.token,
		});
		expect((await call(h.app, 'GET', '/api/me', { token: ticket })).status).toBe(401);
		await expect(tokens.verifyTicket(listener.token)).rejects.toMatchObject({ reason: 'invalid' });
	});

	test('each role joins as itself; speaker guests carry sg', async () => {
		await registerNode(h.bus);
		const [cohost, mod, speaker] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token, { visibility: 'private' });
		const base = `/api/rooms/${room.id}`;
		await appointStageRoles(h.app, host, room.id, { cohost, moderator: mod, speaker });
		await expectStatus(200, h.app, 'POST', `${base}/start`, { token: host.token });
		for (const [user, role, sg] of [
			[host, 'host', false],
			[cohost, 'cohost', false],
			[mod, 'moderator', false],
			[speaker, 'speaker', true],
		] as const) {
			const res = await expectStatus<JoinResponse>(200, h.app, 'POST', `${base}/join`, { token: user.token });
			expect(res.role).toBe(role);
			expect(await tokens.verifyTicket(res.ticket)).toMatchObject({ sub: user.user.id, role, sg });
		}
	});

	test('409 when the room is not live (scheduled: invalid_state, ended: room_ended)', async () => {
		await registerNode(h.bus);
		const room = await createRoom(h.app, host.token);
		const scheduled = await call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: listener.token });
		expect(scheduled.status).toBe(409);
		expect(scheduled.body).toMatchObject({ error: { code: 'invalid_state' } });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
		const ended = await call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: listener.token });
		expect(ended.status).toBe(409);
		expect(ended.body).toMatchObject({ error: { code: 'room_ended' } });
	});

	test('403 banned for removed users; 404 for outsiders of private rooms; anonymous only for public rooms', async () => {
		await registerNode(h.bus);
		const removed = await signup(h.app);
		const room = await liveRoom();
		await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/bans`, {
			token: await tokens.signServiceToken('sfu'),
			body: { userId: removed.user.id, by: host.user.id },
		});
		const banned = await call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: removed.token });
		expect(banned.status).toBe(403);
		expect(banned.body).toMatchObject({ error: { code: 'banned' } });
		const secret = await liveRoom({ visibility: 'private' });
		expect(
			(await call(h.app, 'POST', `/api/rooms/${secret.id}/join`, { token: listener.token })).status
		).toBe(404);
		// Reach (issue 14): a public live room's link is enough to listen; other rooms still need an account.
		expect((await call(h.app, 'POST', `/api/rooms/${secret.id}/join`)).status).toBe(401);
		const unlisted = await liveRoom({ visibility: 'unlisted' });
		expect((await call(h.app, 'POST', `/api/rooms/${unlisted.id}/join`)).status).toBe(401);
	});

	test('anonymous listeners of a public room get a listen-only ticket with a one-off id', async () => {
		await registerNode(h.bus);
		const room = await liveRoom();
		const first = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`);
		const second = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`);
		expect(first.role).toBe('listener');
		const claims = await tokens.verifyTicket(first.ticket);
		expect(claims).toMatchObject({
			rid: room.id,
			role: 'listener',
			anon: true,
			sg: false,
			hdl: '',
			name: '',
		});
		expect(claims.sub).not.toBe((await tokens.verifyTicket(second.ticket)).sub);
		const scheduled = await createRoom(h.app, host.token);
		expect((await call(h.app, 'POST', `/api/rooms/${scheduled.id}/join`)).status).toBe(409);
	});

	test('503 unavailable when no SFU node is alive', async () => {
		const room = await liveRoom();
		const none = await call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: listener.token });
		expect(none.status).toBe(503);
		expect(none.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
		// A node that stopped heartbeating does not count.
		await registerNode(h.bus, { seenAt: Date.now() - 60_000 });
		expect((await call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: listener.token })).status).toBe(
			503
		);
	});

	test('a room stays on its node while it lives; moves to the least-loaded live node when it dies', async () => {
		const busy = await registerNode(h.bus, { id: 'busy-node', consumers: 900, capacity: 1000 });
		const idle = await registerNode(h.bus, { id: 'idle-node', consumers: 10, capacity: 1000 });
		const room = await liveRoom();
		const first = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, {
			token: listener.token,
		});
		expect(first.signallingUrl).toBe(idle.url);
		// idle-node fills up: the room's people stay together anyway.
		await registerNode(h.bus, { id: 'idle-node', consumers: 999, capacity: 1000 });
		const second = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, {
			token: host.token,
		});
		expect(second.signallingUrl).toBe(idle.url);
		// idle-node dies: the next join moves the room.
		await registerNode(h.bus, { id: 'idle-node', seenAt: Date.now() - 60_000 });
		const third = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, {
			token: listener.token,
		});
		expect(third.signallingUrl).toBe(busy.url);
		expect((await tokens.verifyTicket(third.ticket)).node).toBe(busy.id);
		expect(await h.bus.get(roomNodeKey(room.id))).toBe(busy.id);
	});

	test('ending a room forgets its node', async () => {
		await registerNode(h.bus);
		const room = await liveRoom();
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/join`, { token: listener.token });
		expect(await h.bus.get(roomNodeKey(room.id))).not.toBeNull();
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
		expect(await h.bus.get(roomNodeKey(room.id))).toBeNull();
	});
});

describe('POST /api/rooms/:id/join on a full origin (edge placement)', () => {
	/** The live state the SFU would write for `room`, with `stage` on stage and `invited` invited. */
	function liveState(room: Room, stage: User[], invited: User[]): LiveStateData {
		return {
			version: 1,
			info: { id: room.id, title: room.title, speakRequests: 'everyone', maxSpeakers: 10 },
			hostId: host.user.id,
			appointments: [],
			guests: [],
			banned: [],
			stage: stage.map(({ id, handle, displayName }) => ({
				user: { id, handle, displayName },
				since: Date.now(),
				muted: false,
			})),
			hands: [],
			invited: invited.map(({ id }) => ({ userId: id, by: host.user.id })),
			hostAwayUntil: null,
			savedAt: Date.now(),
		};
	}

	async function join(room: Room, user: TestUser) {
		const res = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${room.id}/join`, {
			token: user.token,
		});

		return { url: res.signallingUrl, claims: await h.app.tokens.verifyTicket(res.ticket) };
	}

	/** A live room placed on `origin` (the host's join places it), with an idle `edge` beside it. */
	async function placedRoom(fields: Record<string, unknown> = {}) {
		const origin = await registerNode(h.bus, { consumers: 10, capacity: 1000 });
		const edge = await registerNode(h.bus, { consumers: 400, capacity: 1000 });
		const room = await liveRoom(fields);
		expect((await join(room, host)).claims.node).toBe(origin.id);
		expect(await h.bus.get(roomNodeKey(room.id))).toBe(origin.id);

		return { room, origin, edge };
	}

	test('a listener goes to the other node with org; the host stays on the origin without org', async () => {
		const { room, origin, edge } = await placedRoom();
		// Room on the origin: everyone joins it.
		const before = await join(room, listener);
		expect(before.url).toBe(origin.url);
		expect(before.claims.node).toBe(origin.id);
		expect(before.claims).not.toHaveProperty('org');
		// The origin fills up.
		await registerNode(h.bus, { ...origin, consumers: 1000 });
		const edged = await join(room, listener);
		expect(edged.url).toBe(edge.url);
		expect(edged.claims).toMatchObject({
			sub: listener.user.id,
			role: 'listener',
			node: edge.id,
			org: origin.id,
		});
		const hosted = await join(room, host);
		expect(hosted.url).toBe(origin.url);
		expect(hosted.claims).toMatchObject({ role: 'host', node: origin.id });
		expect(hosted.claims).not.toHaveProperty('org');
		// The room itself stays on its origin.
		expect(await h.bus.get(roomNodeKey(room.id))).toBe(origin.id);
	});

	test('stage roles and speaker guests stay on a full origin', async () => {
		const [cohost, mod, speaker] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const { room, origin } = await placedRoom();
		await appointStageRoles(h.app, host, room.id, { cohost, moderator: mod, speaker });
		await registerNode(h.bus, { ...origin, consumers: 1200 });
		for (const user of [cohost, mod, speaker]) {
			const { url, claims } = await join(room, user);
			expect(url).toBe(origin.url);
			expect(claims.node).toBe(origin.id);
			expect(claims).not.toHaveProperty('org');
		}
	});

	test('a listener on stage or invited in the live state joins the origin; others go to the edge', async () => {
		const [onStage, invited, other] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const { room, origin, edge } = await placedRoom();
		await registerNode(h.bus, { ...origin, consumers: 1000 });
		await h.bus.set(roomLiveKey(room.id), JSON.stringify(liveState(room, [onStage.user], [invited.user])));
		try {
			for (const user of [onStage, invited]) {
				const { claims } = await join(room, user);
				expect(claims).toMatchObject({ role: 'listener', node: origin.id });
				expect(claims).not.toHaveProperty('org');
			}
			expect((await join(room, other)).claims).toMatchObject({ node: edge.id, org: origin.id });
			// Unreadable live state is ignored: the listener is placed like any other.
			await h.bus.set(roomLiveKey(room.id), JSON.stringify({ stage: [{ user: { id: onStage.user.id } }] }));
			expect((await join(room, onStage)).claims).toMatchObject({ node: edge.id, org: origin.id });
			await h.bus.set(roomLiveKey(room.id), '{not json');
			expect((await join(room, onStage)).claims).toMatchObject({ node: edge.id, org: origin.id });
		} finally {
			await h.bus.del(roomLiveKey(room.id));
		}
	});

	test('when no other live node has room, the full origin serves listeners (no org)', async () => {
		const { room, origin, edge } = await placedRoom();
		await registerNode(h.bus, { ...origin, consumers: 1000 });
		await registerNode(h.bus, { ...edge, consumers: 1000 });
		// A dead node with room is no edge.
		await registerNode(h.bus, { consumers: 0, seenAt: Date.now() - 60_000 });
		const { url, claims } = await join(room, listener);
		expect(url).toBe(origin.url);
		expect(claims.node).toBe(origin.id);
		expect(claims).not.toHaveProperty('org');
	});
});
