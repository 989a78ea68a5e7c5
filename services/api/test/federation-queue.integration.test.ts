import { Temporal } from '@js-temporal/polyfill';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { PostgresMessageQueue } from '../src/plugins/app/federation/message-queue.js';
import { type Harness, setup } from './helper.js';

// Federation's delivery queue on the real database (Postgres, or PGlite without DATABASE_URL): what is
// queued is handled once, after its delay, in order per key, and outlives the node that queued it.

let h: Harness;
const stops: AbortController[] = [];

beforeAll(async () => {
	h = await setup();
});
// Each test's nodes stop with it, so they do not take the next test's messages.
afterEach(() => {
	for (const stop of stops.splice(0)) {
		stop.abort();
	}
});
afterAll(async () => {
	await h?.close();
});

// A queue of its own (as on one API node) listening with `handler`.
function node(handler: (message: unknown) => Promise<void> | void): PostgresMessageQueue {
	const queue = new PostgresMessageQueue(h.app.db, h.app.log, { pollMs: 50 });
	const stop = new AbortController();
	stops.push(stop);
	void queue.listen(handler, { signal: stop.signal });

	return queue;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) {
			throw new Error('timed out');
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

test('a message queued on a node that stopped is handled by the next one, once; a delay is kept', async () => {
	// Queued with nobody listening (the node that queued it went down before handling it).
	const gone = new PostgresMessageQueue(h.app.db, h.app.log);
	await gone.enqueue({ kind: 'late', n: 1 }, { delay: Temporal.Duration.from({ milliseconds: 600 }) });
	await gone.enqueue({ kind: 'now', n: 2 });
	expect(await gone.getDepth()).toMatchObject({ queued: 2, ready: 1, delayed: 1 });

	const seen: { message: unknown; at: number }[] = [];
	const started = Date.now();
	node((message) => {
		seen.push({ message, at: Date.now() - started });
	});
	await until(() => seen.length === 2);
	expect(seen[0]?.message).toEqual({ kind: 'now', n: 2 });
	expect(seen[1]?.message).toEqual({ kind: 'late', n: 1 });
	expect(seen[1]?.at).toBeGreaterThanOrEqual(450);
	await new Promise((resolve) => setTimeout(resolve, 200));
	expect(seen).toHaveLength(2);
	expect(await gone.getDepth()).toMatchObject({ queued: 0 });
});

test('two nodes share the queue: every message is handled exactly once', async () => {
	const handled: number[] = [];
	const a = node((m) => {
		handled.push((m as { n: number }).n);
	});
	node(async (m) => {
		await new Promise((resolve) => setTimeout(resolve, 5));
		handled.push((m as { n: number }).n);
	});
	await a.enqueueMany(Array.from({ length: 60 }, (_, n) => ({ n })));
	await until(() => handled.length >= 60);
	await new Promise((resolve) => setTimeout(resolve, 200));
	expect(handled.toSorted((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
});

test('messages with one ordering key are handled one at a time, in order; a failing one is retried', async () => {
	const log: string[] = [];
	let failures = 0;
	const queue = node(async (m) => {
		const { step } = m as { step: string };
		if (step === 'create' && failures === 0) {
			failures += 1;
			throw new Error('the first try fails');
		}
		log.push(`start ${step}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
		log.push(`end ${step}`);
	});
	await queue.enqueue({ step: 'create' }, { orderingKey: 'room-1' });
	await queue.enqueue({ step: 'delete' }, { orderingKey: 'room-1' });
	await until(() => log.length === 4);
	expect(log).toEqual(['start create', 'end create', 'start delete', 'end delete']);
	expect(failures).toBe(1);
});
