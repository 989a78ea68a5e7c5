import { USER_EVENTS_CHANNEL, type UserEvent } from '@majlis/protocol';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, expectStatus, type Harness, login, PASSWORD, setup, signup } from './helper.js';

// Sessions are revoked on the server: a token stops working the moment its session ends, and SFU
// nodes hear of it on the bus so they can close the user's live sockets.

let h: Harness;
const events: UserEvent[] = [];
let unsubscribe: () => Promise<void>;
beforeAll(async () => {
	h = await setup();
	unsubscribe = await h.bus.subscribe(USER_EVENTS_CHANNEL, (message) => events.push(JSON.parse(message)));
});
afterAll(async () => {
	await unsubscribe?.();
	await h?.close();
});

async function tokenWorks(token: string): Promise<boolean> {
	const { status } = await call(h.app, 'GET', '/api/me', { token });
	expect([200, 401]).toContain(status);

	return status === 200;
}

async function secondSession(handle: string): Promise<string> {
	const res = await login(h.app, handle);
	expect(res.status).toBe(200);

	return res.body.token;
}

test('POST /api/auth/logout ends this session only; the event names it', async () => {
	const alice = await signup(h.app);
	const phone = await secondSession(alice.user.handle);
	await expectStatus(204, h.app, 'POST', '/api/auth/logout', { token: alice.token });
	expect(await tokenWorks(alice.token)).toBe(false);
	expect(await tokenWorks(phone)).toBe(true);
	// Logging out again with the dead token is a 401, not a success.
	expect((await call(h.app, 'POST', '/api/auth/logout', { token: alice.token })).status).toBe(401);
	await expect
		.poll(() => events.find((e) => e.data.userId === alice.user.id))
		.toEqual({
			type: 'user.sessions-revoked',
			data: { userId: alice.user.id, sessionIds: [expect.any(String)] },
		});
});

test('POST /api/auth/logout-all ends every session of the user, not other users’', async () => {
	const bob = await signup(h.app);
	const carol = await signup(h.app);
	const laptop = await secondSession(bob.user.handle);
	await expectStatus(204, h.app, 'POST', '/api/auth/logout-all', { token: bob.token });
	expect(await tokenWorks(bob.token)).toBe(false);
	expect(await tokenWorks(laptop)).toBe(false);
	expect(await tokenWorks(carol.token)).toBe(true);
	await expect
		.poll(() => events.find((e) => e.data.userId === bob.user.id)?.data.sessionIds)
		.toBeNull();
	// Signing in again works.
	expect(await tokenWorks(await secondSession(bob.user.handle))).toBe(true);
});

test('POST /api/me/password needs the current password, then ends every other session', async () => {
	const dina = await signup(h.app);
	const other = await secondSession(dina.user.handle);
	const wrong = await call<{ error: { code: string; fields?: Record<string, string> } }>(
		h.app,
		'POST',
		'/api/me/password',
		{ token: dina.token, body: { currentPassword: 'not it at all', newPassword: 'a brand new secret' } }
	);
	expect(wrong.status).toBe(400);
	expect(wrong.body.error.fields).toEqual({ currentPassword: 'is not your current password' });
	const short = await call<{ error: { fields?: Record<string, string> } }>(h.app, 'POST', '/api/me/password', {
		token: dina.token,
		body: { currentPassword: PASSWORD, newPassword: 'short' },
	});
	expect(short.status).toBe(400);
	expect(Object.keys(short.body.error.fields ?? {})).toEqual(['newPassword']);
	expect(await tokenWorks(other)).toBe(true);

	await expectStatus(204, h.app, 'POST', '/api/me/password', {
		token: dina.token,
		body: { currentPassword: PASSWORD, newPassword: 'a brand new secret' },
	});
	expect(await tokenWorks(dina.token)).toBe(true);
	expect(await tokenWorks(other)).toBe(false);
	expect((await login(h.app, dina.user.handle)).status).toBe(401);
	expect((await login(h.app, dina.user.handle, 'a brand new secret')).status).toBe(200);
});

test('log-out routes need a signed-in caller', async () => {
	for (const url of ['/api/auth/logout', '/api/auth/logout-all', '/api/me/password']) {
		expect((await call(h.app, 'POST', url, { body: {} })).status).toBe(401);
	}
});
