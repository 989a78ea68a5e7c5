import { describe, expect, test } from 'vitest';
import { ManualClock } from '../test/support/ManualClock.js';
import { throttle } from './throttle.js';

describe('throttle()', () => {
	test('runs at once when idle, then at most once per interval with the latest state', () => {
		const clock = new ManualClock();
		let state = 0;
		const seen: number[] = [];
		const t = throttle(() => seen.push(state), 1000, clock);

		state = 1;
		t();
		expect(seen).toEqual([1]);
		state = 2;
		t();
		state = 3;
		t();
		expect(seen).toEqual([1]);
		clock.advance(999);
		expect(seen).toEqual([1]);
		clock.advance(1);
		expect(seen).toEqual([1, 3]);
		clock.advance(5000);
		expect(seen).toEqual([1, 3]);
		state = 4;
		t();
		expect(seen).toEqual([1, 3, 4]);
	});

	test('cancel() drops the pending run', () => {
		const clock = new ManualClock();
		const seen: number[] = [];
		const t = throttle(() => seen.push(clock.now()), 100, clock);
		t();
		t();
		t.cancel();
		clock.advance(1000);
		expect(seen).toHaveLength(1);
		expect(clock.pending).toBe(0);
	});
});
