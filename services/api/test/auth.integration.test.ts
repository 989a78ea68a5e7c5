import { randomUUID } from 'node:crypto';
import type { User } from '@majlis/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, type Harness, login, PASSWORD, setup, signup, type TestUser, uniqueHandle } from './helper.js';

let h: Harness;
beforeAll(async () => {
	h = await setup();
});
afterAll(() => h?.close());

describe('POST /api/auth/signup', () => {
	test('creates an account and returns it with a working token', async () => {
		const handle = uniqueHandle('Alice');
		const res = await call<TestUser>(h.app, 'POST', '/api/auth/signup', {
			body: { handle, displayName: '  Alice A. ', password: PASSWORD, admin: true },
		});
		expect(res.status).toBe(201);
		expect(res.body.user).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			handle,
			displayName: 'Alice A.',
			createdAt: expect.any(String),
		});
		const me = await call<User>(h.app, 'GET', '/api/me', { token: res.body.token });
		expect(me.status).toBe(200);
		expect(me.body).toEqual(res.body.user);
	});

	test('stores an argon2id hash, never the password', async () => {
		const { user } = await signup(h.app);
		const client = new pg.Client({ connectionString: h.dbHandle.url });
		await client.connect();
		try {
			const { rows } = await client.query('select password_hash from users where id = $1', [user.id]);
			expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
			expect(rows[0].password_hash).not.toContain(PASSWORD);
		} finally {
			await client.end();
		}
	});

	test.each([
		[{ handle: 'ab', displayName: 'x', password: PASSWORD }, { handle: 'must be 3–30 characters' }],
		[{ handle: 'a'.repeat(31), displayName: 'x', password: PASSWORD }, { handle: 'must be 3–30 characters' }],
		[
			{ handle: 'has-dash', displayName: 'x', password: PASSWORD },
			{ handle: 'must contain only a-z, 0-9 and _' },
		],
		[{ handle: 'okhandle', displayName: '', password: PASSWORD }, { displayName: 'must be 1–50 characters' }],
		[
			{ handle: 'okhandle', displayName: '   ', password: PASSWORD },
			{ displayName: 'must be 1–50 characters' },
		],
		[
			{ handle: 'okhandle', displayName: 'x'.repeat(51), password: PASSWORD },
			{ displayName: 'must be 1–50 characters' },
		],
		[
			{ handle: 'okhandle', displayName: 'x', password: '1234567' },
			{ password: 'must be 8–1024 characters' },
		],
		[{ displayName: 'x' }, { handle: 'is required', password: 'is required' }],
	])('refuses %o with field messages', async (body, fields) => {
		const res = await call(h.app, 'POST', '/api/auth/signup', { body });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({ error: { code: 'bad_request', message: expect.any(String), fields } });
	});

	test('a display name of invisible characters or a password of spaces → 400 on that field', async () => {
		const invisible = await call<{ error: { fields: Record<string, string> } }>(
			h.app,
			'POST',
			'/api/auth/signup',
			{
				body: { handle: uniqueHandle('ghost'), displayName: '\u200B\u200D\u2060', password: PASSWORD },
			}
		);
		expect(invisible.status).toBe(400);
		expect(Object.keys(invisible.body.error.fields)).toEqual(['displayName']);
		const spaces = await call<{ error: { fields: Record<string, string> } }>(
			h.app,
			'POST',
			'/api/auth/signup',
			{
				body: { handle: uniqueHandle('blank'), displayName: 'Blank', password: '          ' },
			}
		);
		expect(spaces.status).toBe(400);
		expect(Object.keys(spaces.body.error.fields)).toEqual(['password']);
	});

	test('a handle is taken regardless of case → 409', async () => {
		const handle = uniqueHandle('bob');
		await signup(h.app, { handle });
		const res = await call(h.app, 'POST', '/api/auth/signup', {
			body: { handle: handle.toUpperCase(), displayName: 'Other Bob', password: PASSWORD },
		});
		expect(res.status).toBe(409);
		expect(res.body).toEqual({
			error: { code: 'conflict', message: expect.any(String), fields: { handle: 'is taken' } },
		});
	});
});

describe('POST /api/auth/login', () => {
	test('signs in with the password, ignoring the handle’s case', async () => {
		const { user } = await signup(h.app, { handle: uniqueHandle('Carol') });
		const res = await login(h.app, user.handle.toUpperCase());
		expect(res.status).toBe(200);
		expect(res.body.user).toEqual(user);
		expect((await call(h.app, 'GET', '/api/me', { token: res.body.token })).status).toBe(200);
	});

	test('a wrong password and an unknown handle get the same 401', async () => {
		const { user } = await signup(h.app);
		const wrong = await login(h.app, user.handle, 'wrong password');
		const unknown = await login(h.app, uniqueHandle('nobody'), 'wrong password');
		const malformed = await login(h.app, 'not a handle!', 'wrong password');
		expect(wrong.status).toBe(401);
		expect(unknown.status).toBe(401);
		expect(malformed.status).toBe(401);
		expect(unknown.body).toEqual(wrong.body);
		expect(malformed.body).toEqual(wrong.body);
	});

	test('an unknown handle costs a password verification too (similar timing)', async () => {
		const { user } = await signup(h.app);
		async function median(handle: string): Promise<number> {
			const times: number[] = [];
			for (let i = 0; i < 5; i++) {
				const start = performance.now();
				expect((await login(h.app, handle, 'wrong password')).status).toBe(401);
				times.push(performance.now() - start);
			}
			times.sort((a, b) => a - b);

			return times[2]!;
		}
		const known = await median(user.handle);
		const unknown = await median(uniqueHandle('ghost'));
		// An argon2 verification dominates both; without the dummy verification the unknown path would
		// be a single indexed lookup, an order of magnitude faster. Loose bounds: machines are noisy.
		expect(unknown).toBeGreaterThan(known * 0.3);
		expect(unknown).toBeLessThan(known * 3);
	});
});

describe('tokens', () => {
	let alice: TestUser;
	beforeAll(async () => {
		alice = await signup(h.app);
	});

	test('/api/me needs a token', async () => {
		const res = await call(h.app, 'GET', '/api/me');
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
	});

	test('user tokens expire (7 days by default)', () => {
		const payload = h.app.jwt.decode<{ exp: number; iat: number; sub: string }>(alice.token);
		expect(payload?.sub).toBe(alice.user.id);
		expect(payload!.exp - payload!.iat).toBe(7 * 24 * 3600);
	});

	test.each([
		['garbage', () => 'not.a.jwt'],
		[
			'an expired token',
			() =>
				h.app.jwt.sign(
					{ sub: alice.user.id, sid: randomUUID() },
					{ clockTimestamp: Date.now() - 8 * 24 * 3600_000 }
				),
		],
		['a token for a user that does not exist', () => h.app.jwt.sign({ sub: randomUUID(), sid: randomUUID() })],
		['a token whose sub is not a user id', () => h.app.jwt.sign({ sub: 'admin', sid: randomUUID() })],
		[
			'a join ticket (other audience)',
			() =>
				h.app.tokens.signTicket({
					sub: alice.user.id,
					rid: randomUUID(),
					role: 'host',
					hdl: alice.user.handle,
					name: 'x',
					sg: false,
					node: 'n',
				}),
		],
		['a service token (other audience)', () => h.app.tokens.signServiceToken('sfu')],
	])('refuses %s with 401', async (_name, makeToken) => {
		const token = await makeToken();
		for (const url of ['/api/me', '/api/rooms']) {
			const res = await call(h.app, 'GET', url, { token });
			expect(res.status).toBe(401);
		}
	});

	test('a non-Bearer Authorization header is 401', async () => {
		const res = await call(h.app, 'GET', '/api/me', { headers: { authorization: `Basic ${alice.token}` } });
		expect(res.status).toBe(401);
	});
});

describe('users', () => {
	test('GET /api/users/:handle finds a user regardless of case; 404 otherwise', async () => {
		const { user } = await signup(h.app, { handle: uniqueHandle('Dana') });
		const res = await call<User>(h.app, 'GET', `/api/users/${user.handle.toLowerCase()}`);
		expect(res.status).toBe(200);
		// The profile (issue 14): the user plus bio, avatar and follow counts.
		expect(res.body).toEqual({ ...user, bio: '', avatarUrl: null, followers: 0, following: 0, followedByMe: null });
		expect(JSON.stringify(res.body)).not.toMatch(/password/i);
		expect((await call(h.app, 'GET', `/api/users/${uniqueHandle('nope')}`)).status).toBe(404);
	});

	test('GET /api/users?q= searches handle and display name prefixes, at most 20', async () => {
		const me = await signup(h.app);
		const stem = `zq${Date.now().toString(36)}`;
		const byHandle = await signup(h.app, { handle: `${stem}_handle` });
		const byName = await signup(h.app, {
			handle: uniqueHandle('x'),
			displayName: `${stem.toUpperCase()} Name`,
		});
		await signup(h.app, { handle: uniqueHandle('y'), displayName: `Not ${stem}` });
		const res = await call<User[]>(h.app, 'GET', `/api/users?q=${stem}`, { token: me.token });
		expect(res.status).toBe(200);
		expect(res.body.map((u) => u.id).sort()).toEqual([byHandle.user.id, byName.user.id].sort());

		for (let i = 0; i < 21; i++) {
			await signup(h.app, { handle: `${stem}m${i}` });
		}
		const many = await call<User[]>(h.app, 'GET', `/api/users?q=${stem}`, { token: me.token });
		expect(many.body).toHaveLength(20);
	});

	test('search treats LIKE wildcards literally and needs a signed-in caller', async () => {
		const me = await signup(h.app);
		expect((await call<User[]>(h.app, 'GET', '/api/users?q=%25', { token: me.token })).body).toEqual([]);
		expect((await call<User[]>(h.app, 'GET', '/api/users?q=_', { token: me.token })).body).toEqual([]);
		expect((await call(h.app, 'GET', '/api/users?q=a')).status).toBe(401);
		expect((await call(h.app, 'GET', '/api/users', { token: me.token })).status).toBe(400);
	});
});
