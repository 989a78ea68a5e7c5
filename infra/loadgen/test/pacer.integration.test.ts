import { expect, test } from 'vitest';
import { Pacer } from '../src/Pacer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function busy(ms: number): void {
	const end = performance.now() + ms;
	while (performance.now() < end) {
		// Block the event loop, as a loaded generator would.
	}
}

test('ticks at exactly 50/s on average, catching up after an event-loop stall', async () => {
	const pacer = new Pacer();
	let ticks = 0;
	pacer.add({ tick: () => ticks++ });
	const start = performance.now();
	pacer.start();
	await sleep(1000);
	busy(150);
	await sleep(1000);
	pacer.stop();
	const elapsed = performance.now() - start;
	// Node timers fire ≥1 ms late: re-arming a 20 ms timer per tick would fall ~5 % behind, and the stall
	// would cost 7 more ticks.
	expect(Math.abs(ticks - elapsed / 20)).toBeLessThanOrEqual(2);
	expect(pacer.skipped).toBe(0);
	const stopped = ticks;
	await sleep(100);
	expect(ticks).toBe(stopped);
});

test('skips ahead instead of bursting after a stall longer than maxCatchUp', async () => {
	const pacer = new Pacer({ maxCatchUp: 3 });
	let ticks = 0;
	pacer.add({ tick: () => ticks++ });
	pacer.start();
	busy(200);
	await sleep(50);
	pacer.stop();
	expect(pacer.skipped).toBeGreaterThan(0);
	expect(ticks + pacer.skipped).toBeGreaterThanOrEqual(10);
});
