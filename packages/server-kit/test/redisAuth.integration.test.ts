import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBus } from '../src/createBus.js';
import { RedisBus } from '../src/RedisBus.js';
import { type RedisServer, startRedisServer } from '../src/redisServer.js';

// Redis AUTH from REDIS_URL (`redis://:password@host:port`, or `user:password@` with ACLs), against a real
// redis-server started with --requirepass. The password never has to be anywhere but the URL.

const PASSWORD = 'a-redis-password-with-@-and-/';
const SECRET = 'majlis-redis-auth-test-secret-32-bytes';
let server: RedisServer;
beforeAll(async () => {
	server = await startRedisServer(['--requirepass', PASSWORD]);
});
afterAll(async () => {
	await server?.stop();
});

const url = (auth: string) => `redis://${auth}127.0.0.1:${server.port}`;

describe('Redis AUTH', () => {
	test('with the password in the URL, commands and signed pub/sub work', async () => {
		const bus = createBus(url(`:${encodeURIComponent(PASSWORD)}@`), { secret: SECRET });
		try {
			await bus.set('majlis:test:auth', 'yes', 10_000);
			expect(await bus.get('majlis:test:auth')).toBe('yes');
			const received: string[] = [];
			await bus.subscribe('majlis:test:channel', (m) => received.push(m));
			await bus.publish('majlis:test:channel', 'hello');
			await expect.poll(() => received).toEqual(['hello']);
			expect(bus.connected).toBe(true);
		} finally {
			await bus.close();
		}
	});

	test('without it, or with a wrong one, nothing is served and the error says why', async () => {
		for (const [auth, error] of [
			['', /NOAUTH/],
			[':wrong@', /WRONGPASS/],
		] as const) {
			const bus = new RedisBus(url(auth));
			try {
				await expect(bus.get('majlis:test:auth')).rejects.toThrow(error);
				expect(bus.connected).toBe(false);
			} finally {
				await bus.close();
			}
		}
	});
});
