import { randomInt } from 'node:crypto';
import { RedisBus, redisOf } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RATE_LIMITS } from '../src/plugins/external/rate-limit.js';
import { call, createRoom, type Harness, PASSWORD, setup, signup, uniqueHandle } from './helper.js';

let h: Harness;
let unlimited: FastifyInstance;
beforeAll(async () => {
	// Redis-backed counters when REDIS_URL is set (shared by every API process), in memory otherwise.
	h = await setup({ rateLimits: true });
	unlimited = await h.build({ rateLimits: false });
});
afterAll(async () => {
	await unlimited?.close();
	await h?.close();
});

/** A client address of its own, so counters of other tests (and earlier runs on Redis) do not interfere. */
function ip(): string {
	return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

async function statuses(n: number, send: () => Promise<{ status: number }>): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		out.push((await send()).status);
	}

	return out;
}

describe('per client IP', () => {
	test(`login: ${RATE_LIMITS.login.max} attempts a minute, then 429 rate_limited with Retry-After`, async () => {
		const address = ip();
		// A new handle each time, so only the per-address limit (not the per-handle one) is reached.
		const attempt = () =>
			call(h.app, 'POST', '/api/auth/login', {
				body: { handle: uniqueHandle('nobody'), password: 'guess' },
				remoteAddress: address,
			});
		expect(await statuses(RATE_LIMITS.login.max, attempt)).toEqual(Array(RATE_LIMITS.login.max).fill(401));
		const limited = await attempt();
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({
			error: { code: 'rate_limited', message: expect.stringMatching(/retry/), retryAfter: expect.any(Number) },
		});
		const { retryAfter } = (limited.body as { error: { retryAfter: number } }).error;
		expect(retryAfter).toBeGreaterThan(0);
		expect(Number(limited.headers['retry-after'])).toBe(retryAfter);
		// Another client is not affected.
		expect(
			(
				await call(h.app, 'POST', '/api/auth/login', {
					body: { handle: 'x_y_z', password: 'p' },
					remoteAddress: ip(),
				})
			).status
		).toBe(401);
	});

	test(`signup: ${RATE_LIMITS.signup.max} a minute`, async () => {
		const address = ip();
		const attempt = () =>
			call(h.app, 'POST', '/api/auth/signup', {
				body: { handle: uniqueHandle(), displayName: 'Spammer', password: PASSWORD },
				remoteAddress: address,
			});
		expect(await statuses(RATE_LIMITS.signup.max, attempt)).toEqual(Array(RATE_LIMITS.signup.max).fill(201));
		expect((await attempt()).status).toBe(429);
	});
});

describe('per client IP and user', () => {
	test(`room creation: ${RATE_LIMITS.createRoom.max} a minute per user; another user on the same IP is not limited`, async () => {
		const address = ip();
		const [a, b] = [await signup(unlimited), await signup(unlimited)];
		const create = (token: string) =>
			call(h.app, 'POST', '/api/rooms', {
				token,
				body: { title: 'r', visibility: 'public' },
				remoteAddress: address,
			});
		expect(await statuses(RATE_LIMITS.createRoom.max, () => create(a.token))).toEqual(
			Array(RATE_LIMITS.createRoom.max).fill(201)
		);
		expect((await create(a.token)).status).toBe(429);
		expect((await create(b.token)).status).toBe(201);
	});

	test(`join: ${RATE_LIMITS.join.max} attempts a minute per user`, async () => {
		const address = ip();
		const user = await signup(unlimited);
		const room = await createRoom(unlimited, user.token);
		// The room is not live: each attempt is a 409, and each counts.
		const join = () =>
			call(h.app, 'POST', `/api/rooms/${room.id}/join`, { token: user.token, remoteAddress: address });
		expect(new Set(await statuses(RATE_LIMITS.join.max, join))).toEqual(new Set([409]));
		expect((await join()).status).toBe(429);
	});

	test.runIf(Boolean(process.env.REDIS_URL))('counters live in Redis when the bus is Redis', async () => {
		const redis = redisOf(h.bus);
		expect(redis).toBeDefined();
		if (!redis) {
			return;
		}
		const address = ip();
		await call(h.app, 'POST', '/api/auth/login', {
			body: { handle: 'a_b_c', password: 'p' },
			remoteAddress: address,
		});
		const keys = await redis.keys(`majlis:ratelimit:*${address}*`);
		expect(keys.length).toBeGreaterThan(0);
	});
});

test('with Redis down, limits do not fail open: counters fall back to memory (per address and per handle)', async () => {
	// Nothing listens on port 1: the bus never connects.
	const deadBus = new RedisBus('redis://127.0.0.1:1');
	const app = await h.build({ rateLimits: true, bus: deadBus });
	try {
		const address = ip();
		const attempt = () =>
			call(app, 'POST', '/api/auth/login', {
				body: { handle: uniqueHandle('nobody'), password: 'guess' },
				remoteAddress: address,
			});
		expect(await statuses(RATE_LIMITS.login.max, attempt)).toEqual(Array(RATE_LIMITS.login.max).fill(401));
		expect((await attempt()).status).toBe(429);
		const handle = uniqueHandle('target');
		const perHandle = await statuses(12, () =>
			call(app, 'POST', '/api/auth/login', { body: { handle, password: 'guess' }, remoteAddress: ip() })
		);
		expect(perHandle.at(-1)).toBe(429);
	} finally {
		await app.close();
		await deadBus.close();
	}
});

test('rateLimits: false turns them off', async () => {
	const address = ip();
	const attempt = () =>
		call(unlimited, 'POST', '/api/auth/login', {
			body: { handle: 'nobody_here', password: 'guess' },
			remoteAddress: address,
		});
	const results = await statuses(RATE_LIMITS.login.max + 3, attempt);
	expect(new Set(results)).toEqual(new Set([401]));
});

// Reach (issue 14): anonymous listening is rate-limited per address, tighter than signed-in joins.
describe('anonymous joins', () => {
	test(`${RATE_LIMITS.anonymousJoin.max} a minute per address, then 429; other addresses and accounts unaffected`, async () => {
		const host = await signup(unlimited);
		const room = await createRoom(unlimited, host.token);
		expect((await call(unlimited, 'POST', `/api/rooms/${room.id}/start`, { token: host.token })).status).toBe(
			200
		);
		const address = ip();
		const join = (remoteAddress: string, token?: string) =>
			call(h.app, 'POST', `/api/rooms/${room.id}/join`, { remoteAddress, token });
		// Without an audio server the answer is 503, with one 200: either way the request was counted.
		const first = await statuses(RATE_LIMITS.anonymousJoin.max, () => join(address));
		expect(first.filter((s) => s === 429)).toEqual([]);
		expect((await join(address)).status).toBe(429);
		expect((await join(ip())).status).not.toBe(429);
		expect((await join(address, host.token)).status).not.toBe(429);
	});
});
