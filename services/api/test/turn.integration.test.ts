import { createHmac } from 'node:crypto';
import { type JoinResponse, SFU_NODES_KEY } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	registerNode,
	setup,
	signup,
	type TestUser,
} from './helper.js';

// The join reply carries TURN credentials in coturn's TURN REST scheme when TURN is configured.
const TURN = {
	urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'],
	secret: 'north-wind-secret-16',
	ttlSeconds: 3600,
};

let h: Harness;
let host: TestUser;
let listener: TestUser;
let roomId: string;

beforeAll(async () => {
	// Own Redis database: the fake SFU node goes into the (global) node registry.
	h = await setup({ bus: createTestBus(9), turn: TURN });
	await h.bus.del(SFU_NODES_KEY);
	await registerNode(h.bus);
	host = await signup(h.app);
	listener = await signup(h.app);
	const room = await createRoom(h.app, host.token);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
	roomId = room.id;
});
afterAll(async () => {
	await h?.bus.del(SFU_NODES_KEY);
	await h?.close();
});

describe('TURN credentials in POST /api/rooms/:id/join', () => {
	test('a listener gets every relay URL with `<expiry>:<userId>` and base64 HMAC-SHA1 of it', async () => {
		const before = Math.floor(Date.now() / 1000);
		const res = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${roomId}/join`, {
			token: listener.token,
		});
		const after = Math.floor(Date.now() / 1000);
		expect(res.iceServers).toHaveLength(1);
		const [server] = res.iceServers!;
		expect(server!.urls).toEqual(TURN.urls);
		const [expiry, userId, extra] = server!.username.split(':');
		expect(extra).toBeUndefined();
		expect(userId).toBe(listener.user.id);
		expect(Number(expiry)).toBeGreaterThanOrEqual(before + TURN.ttlSeconds);
		expect(Number(expiry)).toBeLessThanOrEqual(after + TURN.ttlSeconds);
		expect(server!.credential).toBe(
			createHmac('sha1', TURN.secret).update(server!.username).digest('base64')
		);
		// The secret itself never leaves the server.
		expect(JSON.stringify(res)).not.toContain(TURN.secret);
	});

	test('the credential matches a known vector (as `openssl dgst -sha1 -hmac` gives it)', async () => {
		const { turnCredential } = await import('../src/plugins/app/sfu/turn-credentials.js');
		const server = turnCredential({ ...TURN, ttlSeconds: 600 }, 'abc', 1_699_999_400_000);
		expect(server).toEqual({
			urls: TURN.urls,
			username: '1700000000:abc',
			credential: 'KG+f2kD4yzogzhv7CqJpfymiN5U=',
		});
	});

	test('each person gets a credential of their own; the host too', async () => {
		const [a, b] = await Promise.all(
			[host, listener].map((u) =>
				expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${roomId}/join`, { token: u.token })
			)
		);
		expect(a!.iceServers![0]!.username.endsWith(`:${host.user.id}`)).toBe(true);
		expect(a!.iceServers![0]!.credential).not.toBe(b!.iceServers![0]!.credential);
	});

	test('no credential for an anonymous listener (anyone could mint those) or someone removed from the room (403)', async () => {
		// A public live room lets a listener in without an account (issue 14), but relays are for accounts.
		const anonymous = await call<{ ticket: string }>(h.app, 'POST', `/api/rooms/${roomId}/join`);
		expect(anonymous.status).toBe(200);
		expect(anonymous.body.ticket).toEqual(expect.any(String));
		expect(JSON.stringify(anonymous.body)).not.toContain('iceServers');
		const removed = await signup(h.app);
		await expectStatus(200, h.app, 'POST', `/api/rooms/${roomId}/bans/by-handle`, {
			token: host.token,
			body: { handle: removed.user.handle },
		});
		const banned = await call(h.app, 'POST', `/api/rooms/${roomId}/join`, { token: removed.token });
		expect(banned.status).toBe(403);
		expect(JSON.stringify(banned.body)).not.toContain('iceServers');
	});

	test('without TURN configured the reply has no iceServers at all', async () => {
		const plain = await h.build({ turn: undefined });
		try {
			const res = await expectStatus<JoinResponse>(200, plain, 'POST', `/api/rooms/${roomId}/join`, {
				token: listener.token,
			});
			expect(res.ticket).toBeTruthy();
			expect('iceServers' in res).toBe(false);
		} finally {
			await plain.close();
		}
	});

	test('the OpenAPI document describes iceServers on the join reply', async () => {
		const doc = await call<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
			h.app,
			'GET',
			'/api/openapi.json'
		);
		const ok = JSON.stringify(doc.body.paths['/api/rooms/{id}/join']!.post!.responses['200']);
		expect(ok).toContain('iceServers');
		expect(ok).toContain('^turns?:');
	});
});
