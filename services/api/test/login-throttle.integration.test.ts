import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../src/index.js';
import { call, type Harness, login, PASSWORD, setup, signup, type TestUser } from './helper.js';

// Log-in is throttled per handle as well as per address: an attacker with many addresses escapes the
// per-address limit, not this one. The real owner gets in again, from anywhere, once the window ends.

let h: Harness;
let victim: TestUser;
let bystander: TestUser;
beforeAll(async () => {
	h = await setup({ rateLimits: true });
	victim = await signup(h.app);
	bystander = await signup(h.app);
});
afterAll(() => h?.close());

/** One address per attempt (TEST-NET-2, 198.51.100.0/24), so no per-address limit is reached. */
function address(i: number): string {
	return `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`;
}

type Limited = { error: { code: string; message: string; retryAfter?: number } };

test('50 failed log-ins for one handle from 50 addresses throttle that handle; another handle logs in at once', async () => {
	const statuses: number[] = [];
	for (let i = 0; i < 50; i++) {
		const res = await call(h.app, 'POST', '/api/auth/login', {
			body: { handle: victim.user.handle, password: 'wrong guess' },
			remoteAddress: address(i),
		});
		statuses.push(res.status);
	}
	const free = DEFAULT_LIMITS.loginFailuresPerHandle;
	expect(statuses.slice(0, free)).toEqual(Array(free).fill(401));
	// Locked attempts are refused before any password check; a lock that runs out between two attempts
	// lets one more guess through (and doubles the next wait).
	expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
	expect(statuses.slice(free).every((s) => s === 429 || s === 401)).toBe(true);

	// Even the right password waits while the handle is locked, and the reply says how long.
	const owner = await call<Limited>(h.app, 'POST', '/api/auth/login', {
		body: { handle: victim.user.handle.toUpperCase(), password: PASSWORD },
		remoteAddress: '192.0.2.10',
	});
	expect(owner.status).toBe(429);
	expect(owner.body.error.code).toBe('rate_limited');
	expect(owner.body.error.retryAfter).toBeGreaterThanOrEqual(1);
	expect(Number(owner.headers['retry-after'])).toBe(owner.body.error.retryAfter);

	// Another handle, from an address the attacker used too, is not affected.
	const other = await call(h.app, 'POST', '/api/auth/login', {
		body: { handle: bystander.user.handle, password: PASSWORD },
		remoteAddress: address(49),
	});
	expect(other.status).toBe(200);
});

test('after the window the owner logs in from a fresh address; a success clears the failures', async () => {
	const quick = await h.build({ rateLimits: true, limits: { loginWindowSeconds: 1, loginMaxDelaySeconds: 1 } });
	try {
		const owner = await signup(quick);
		for (let i = 0; i < DEFAULT_LIMITS.loginFailuresPerHandle; i++) {
			await call(quick, 'POST', '/api/auth/login', {
				body: { handle: owner.user.handle, password: 'nope' },
				remoteAddress: address(100 + i),
			});
		}
		expect((await login(quick, owner.user.handle)).status).toBe(429);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const fresh = await call(quick, 'POST', '/api/auth/login', {
			body: { handle: owner.user.handle, password: PASSWORD },
			remoteAddress: '203.0.113.99',
		});
		expect(fresh.status).toBe(200);
		// The success reset the count: one more failure is a plain 401, not a lock.
		const again = await call(quick, 'POST', '/api/auth/login', {
			body: { handle: owner.user.handle, password: 'nope' },
			remoteAddress: '203.0.113.99',
		});
		expect(again.status).toBe(401);
		expect((await login(quick, owner.user.handle)).status).toBe(200);
	} finally {
		await quick.close();
	}
});

test('unknown handles are throttled the same way, so the throttle tells nothing about who exists', async () => {
	const ghost = `ghost_${Date.now().toString(36)}`;
	const statuses: number[] = [];
	for (let i = 0; i < DEFAULT_LIMITS.loginFailuresPerHandle + 2; i++) {
		statuses.push(
			(
				await call(h.app, 'POST', '/api/auth/login', {
					body: { handle: ghost, password: 'x' },
					remoteAddress: address(200 + i),
				})
			).status
		);
	}
	expect(statuses.at(-1)).toBe(429);
});
