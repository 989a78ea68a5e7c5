import { expect, test } from 'vitest';
import { Pacer } from './Pacer.js';

// Runs a pacer with four members for `ms` and returns each member's tick times.
async function run(stagger: boolean, ms: number): Promise<number[][]> {
	const pacer = new Pacer({ stagger });
	const times: number[][] = [[], [], [], []];
	for (const list of times) {
		pacer.add({ tick: (now) => list.push(now) });
	}
	pacer.start();
	await new Promise((resolve) => setTimeout(resolve, ms));
	pacer.stop();

	return times;
}

test('aligned: every member ticks at once, 50 times a second', async () => {
	const times = await run(false, 500);
	for (const list of times) {
		expect(list.length).toBeGreaterThanOrEqual(24);
		expect(list.length).toBeLessThanOrEqual(26);
	}
	// The same call drives all four: the same instant.
	expect(times[3]?.[5]).toBe(times[0]?.[5]);
});

test('staggered: each member still ticks 50 times a second, a quarter interval after the one before', async () => {
	const times = await run(true, 500);
	for (const list of times) {
		expect(list.length).toBeGreaterThanOrEqual(24);
		expect(list.length).toBeLessThanOrEqual(26);
	}
	// Member k's frames fall about k × 5 ms after member 0's (timers are late, never early); the median
	// over the frames, so a stall of the event loop (when missed ticks run at once) does not decide it.
	const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
	const offsets = [1, 2, 3].map(
		(k) => median((times[0] ?? []).slice(0, 20).map((t, i) => (times[k]?.[i] ?? 0) - t)) / 1000
	);
	offsets.forEach((offset, i) => {
		expect(offset).toBeGreaterThan((i + 1) * 5 - 2);
		expect(offset).toBeLessThan((i + 1) * 5 + 5);
	});
});
