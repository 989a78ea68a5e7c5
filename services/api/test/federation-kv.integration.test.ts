import { Temporal } from '@js-temporal/polyfill';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PostgresKvStore } from '../src/plugins/app/federation/kv-store.js';
import { type Harness, setup } from './helper.js';

// Fedify's key–value store on the real database (Postgres, or PGlite without DATABASE_URL).

let h: Harness;
let kv: PostgresKvStore;
beforeAll(async () => {
	h = await setup();
	kv = new PostgresKvStore(h.app.db);
});
afterAll(async () => {
	await h?.close();
});

async function listed(prefix?: readonly [string, ...string[]]) {
	const out: unknown[] = [];
	for await (const entry of kv.list(prefix)) {
		out.push([entry.key, entry.value]);
	}

	return out.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

test('get, set (JSON of any shape), delete', async () => {
	expect(await kv.get(['a', 'missing'])).toBeUndefined();
	await kv.set(['a', 'list'], [1, 'two', { three: 3 }]);
	await kv.set(['a', 'text'], 'hello');
	expect(await kv.get(['a', 'list'])).toEqual([1, 'two', { three: 3 }]);
	await kv.set(['a', 'text'], { replaced: true });
	expect(await kv.get(['a', 'text'])).toEqual({ replaced: true });
	await kv.delete(['a', 'text']);
	expect(await kv.get(['a', 'text'])).toBeUndefined();
});

test('entries expire after their ttl', async () => {
	await kv.set(['ttl', 'short'], 1, { ttl: Temporal.Duration.from({ milliseconds: 50 }) });
	await kv.set(['ttl', 'long'], 2, { ttl: Temporal.Duration.from({ hours: 1 }) });
	expect(await kv.get(['ttl', 'short'])).toBe(1);
	await new Promise((r) => setTimeout(r, 80));
	expect(await kv.get(['ttl', 'short'])).toBeUndefined();
	expect(await listed(['ttl'])).toEqual([[['ttl', 'long'], 2]]);
});

test('list by key prefix, whole segments only', async () => {
	await kv.set(['p', 'x', '1'], 'x1');
	await kv.set(['p', 'x', '2'], 'x2');
	await kv.set(['p', 'xy'], 'xy');
	expect(await listed(['p', 'x'])).toEqual([
		[['p', 'x', '1'], 'x1'],
		[['p', 'x', '2'], 'x2'],
	]);
	expect(await listed(['p'])).toHaveLength(3);
});

test('compare-and-swap wins only against the value it expects', async () => {
	expect(await kv.cas(['c', 'n'], undefined, 1)).toBe(true);
	expect(await kv.cas(['c', 'n'], undefined, 2)).toBe(false);
	expect(await kv.cas(['c', 'n'], 5, 2)).toBe(false);
	expect(await kv.cas(['c', 'n'], 1, { n: 2 })).toBe(true);
	expect(await kv.get(['c', 'n'])).toEqual({ n: 2 });
	// Racing writers: exactly one moves the value from {n: 2}.
	const results = await Promise.all([3, 4, 5].map((n) => kv.cas(['c', 'n'], { n: 2 }, { n })));
	expect(results.filter(Boolean)).toHaveLength(1);
	// An expired entry counts as absent.
	await kv.set(['c', 'old'], 'stale', { ttl: Temporal.Duration.from({ milliseconds: 20 }) });
	await new Promise((r) => setTimeout(r, 40));
	expect(await kv.cas(['c', 'old'], undefined, 'fresh')).toBe(true);
	expect(await kv.get(['c', 'old'])).toBe('fresh');
});
