import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import type { Bus } from './Bus.js';
import { MemoryBus } from './MemoryBus.js';
import { RedisBus } from './RedisBus.js';

// One contract, run against every implementation: the embedded mode must behave like Redis.
const implementations: [string, () => Bus][] = [['MemoryBus', () => new MemoryBus()]];
if (process.env.REDIS_URL) {
	implementations.push(['RedisBus', () => new RedisBus(process.env.REDIS_URL!)]);
}

describe.each(implementations)('%s', (_name, make) => {
	const buses: Bus[] = [];
	const prefix = `test:${randomUUID()}:`;
	function open(): Bus {
		const bus = make();
		buses.push(bus);

		return bus;
	}

	afterEach(async () => {
		await Promise.all(buses.splice(0).map((b) => b.close()));
	});

	test('get/set/del round-trip and expiry', async () => {
		const bus = open();
		expect(await bus.get(`${prefix}a`)).toBeNull();
		await bus.set(`${prefix}a`, 'one');
		expect(await bus.get(`${prefix}a`)).toBe('one');
		await bus.set(`${prefix}b`, 'two', 50);
		await new Promise((r) => setTimeout(r, 120));
		expect(await bus.get(`${prefix}b`)).toBeNull();
		await bus.del(`${prefix}a`);
		expect(await bus.get(`${prefix}a`)).toBeNull();
	});

	test('setIfAbsent() sets only once', async () => {
		const bus = open();
		expect(await bus.setIfAbsent(`${prefix}lock`, 'x', 1000)).toBe(true);
		expect(await bus.setIfAbsent(`${prefix}lock`, 'y', 1000)).toBe(false);
		expect(await bus.get(`${prefix}lock`)).toBe('x');
	});

	test('hashes keep fields, delete the key with its last field, and treat __proto__ as data', async () => {
		const bus = open();
		const key = `${prefix}h`;
		await bus.hset(key, { a: '1', b: '2', ['__proto__']: '3' });
		expect(await bus.hget(key, 'a')).toBe('1');
		const all = await bus.hgetall(key);
		expect({ ...all }).toEqual({ a: '1', b: '2', ['__proto__']: '3' });
		await bus.hdel(key, 'a', 'b', '__proto__');
		expect({ ...(await bus.hgetall(key)) }).toEqual({});
		expect(await bus.hget(key, 'a')).toBeNull();
	});

	test('incr() counts from zero', async () => {
		const bus = open();
		expect(await bus.incr(`${prefix}n`)).toBe(1);
		expect(await bus.incr(`${prefix}n`, 5)).toBe(6);
	});

	test('publish() reaches every subscriber until it unsubscribes', async () => {
		const bus = open();
		// For Redis, a second connection: messages must cross connections (and so processes).
		const other = implementations.length > 1 && bus.kind === 'redis' ? open() : bus;
		const got: string[] = [];
		const unsubscribe = await other.subscribe(`${prefix}ch`, (m) => got.push(m));
		await bus.publish(`${prefix}ch`, 'hello');
		await expect.poll(() => got).toEqual(['hello']);
		await unsubscribe();
		await bus.publish(`${prefix}ch`, 'after');
		await new Promise((r) => setTimeout(r, 50));
		expect(got).toEqual(['hello']);
	});
});
