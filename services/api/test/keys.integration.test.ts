import { createHmac, randomUUID } from 'node:crypto';
import { createTokenService, generateTicketKeys } from '@majlis/server-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, type Harness, JWT_SECRET, setup, signup, type TestUser } from './helper.js';

// Separated keys: what an SFU node holds (the ticket public key and the service secret) cannot produce a
// token the API accepts as a user's.

const pair = generateTicketKeys();
const SERVICE_SECRET = 'service-secret-of-the-cluster-32-bytes!';
const KEYS = {
	serviceSecret: SERVICE_SECRET,
	ticketPublicKey: pair.publicKey,
	ticketPrivateKey: pair.privateKey,
};
let h: Harness;
let alice: TestUser;
beforeAll(async () => {
	h = await setup({
		tokenKeys: KEYS,
	});
	alice = await signup(h.app);
});
afterAll(() => h?.close());

const node = createTokenService({ serviceSecret: SERVICE_SECRET, ticketPublicKey: pair.publicKey });

/** A user token for alice as the API would shape it (HS256), signed with `key`. */
function userTokenSignedWith(key: string): string {
	const sid = h.app.jwt.decode<{ sid: string }>(alice.token)?.sid ?? randomUUID();
	const now = Math.floor(Date.now() / 1000);
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: alice.user.id, sid, iss: 'majlis', aud: 'majlis:api', iat: now, exp: now + 3600 })}`;

	return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

test('a key held by an SFU node cannot produce a token the API accepts', async () => {
	expect((await call(h.app, 'GET', '/api/me', { token: alice.token })).status).toBe(200);
	// The forging helper is right: signed with the API's own user-token secret, it passes.
	expect((await call(h.app, 'GET', '/api/me', { token: userTokenSignedWith(JWT_SECRET) })).status).toBe(200);
	for (const token of [
		userTokenSignedWith(SERVICE_SECRET),
		userTokenSignedWith(pair.publicKey),
		await node.signServiceToken('sfu'),
	]) {
		expect((await call(h.app, 'GET', '/api/me', { token })).status).toBe(401);
	}
	await expect(
		node.signTicket({
			sub: alice.user.id,
			rid: randomUUID(),
			role: 'host',
			hdl: 'a',
			name: 'A',
			sg: false,
			node: 'n',
		})
	).rejects.toThrow();
	// What the node's credential is for still works: internal routes, and verifying the API's tickets.
	const internal = await call(h.app, 'GET', `/api/internal/rooms/${randomUUID()}`, {
		token: await node.signServiceToken('sfu'),
	});
	expect(internal.status).toBe(404);
	const ticket = await h.app.tokens.signTicket({
		sub: alice.user.id,
		rid: randomUUID(),
		role: 'listener',
		hdl: 'a',
		name: 'A',
		sg: false,
		node: 'n',
	});
	expect((await node.verifyTicket(ticket)).sub).toBe(alice.user.id);
});

test('the service secret must differ from the user-token secret', async () => {
	await expect(h.build({ tokenKeys: { ...KEYS, serviceSecret: JWT_SECRET } })).rejects.toThrow(
		/service secret must differ/
	);
});
