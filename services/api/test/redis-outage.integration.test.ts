import { randomInt } from 'node:crypto';
import { createBus, type RedisServer, redisOf, startRedisServer } from '@majlis/server-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RATE_LIMITS } from '../src/plugins/external/rate-limit.js';
import { call, type Harness, JWT_SECRET, setup, uniqueHandle } from './helper.js';

// Rate limits and the log-in throttle never fail open (finding 14 of the security review), also when
// Redis dies in the middle of a run: a redis-server of this test's own counts the first attempts, is
// killed, and the same limits keep biting from this process's memory (never a 5xx, never unlimited).

let redis: RedisServer;
let h: Harness;
beforeAll(async () => {
	redis = await startRedisServer();
	const bus = createBus(`redis://127.0.0.1:${redis.port}`, { secret: JWT_SECRET });
	h = await setup({ rateLimits: true, bus });
});
afterAll(async () => {
	await h?.close();
	await redis?.stop();
});

function ip(): string {
	return `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`;
}

async function statuses(n: number, send: () => Promise<{ status: number }>): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		out.push((await send()).status);
	}

	return out;
}

test('Redis killed mid-run: request limits and the per-handle throttle keep counting in memory', async () => {
	const address = ip();
	const attempt = () =>
		call(h.app, 'POST', '/api/auth/login', {
			body: { handle: uniqueHandle('nobody'), password: 'guess' },
			remoteAddress: address,
		});
	// Counted in Redis while it is up.
	expect(await statuses(3, attempt)).toEqual([401, 401, 401]);
	expect((await redisOf(h.bus)!.keys(`majlis:ratelimit:*${address}*`)).length).toBeGreaterThan(0);

	await redis.stop();
	await expect.poll(() => h.bus.connected).toBe(false);
	// Memory starts counting from zero: at most a full window more, then 429; nothing else.
	const after = await statuses(RATE_LIMITS.login.max + 1, attempt);
	expect(after.at(-1)).toBe(429);
	expect(after.every((s) => s === 401 || s === 429)).toBe(true);

	const handle = uniqueHandle('target');
	const perHandle = await statuses(12, () =>
		call(h.app, 'POST', '/api/auth/login', { body: { handle, password: 'guess' }, remoteAddress: ip() })
	);
	expect(perHandle.at(-1)).toBe(429);
	expect(perHandle.every((s) => s === 401 || s === 429)).toBe(true);
});
