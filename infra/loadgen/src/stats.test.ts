import { describe, expect, test } from 'vitest';
import { InterarrivalJitter, LogHistogram, lossPercent, percentile, summarize } from './stats.js';

describe('LogHistogram', () => {
	test('keeps small values exact and large ones within 1/16', () => {
		const h = new LogHistogram();
		for (let v = 0; v < 32; v++) {
			h.record(v);
		}
		expect(h.valueAt(0.5)).toBe(15);
		expect(h.valueAt(1)).toBe(31);
		for (const v of [33, 1000, 12_345, 999_999, 123_456_789, 4_000_000_000]) {
			const one = new LogHistogram();
			one.record(v);
			one.record(v * 2);
			// valueAt reports the top of the bucket, so it is ≥ v and within 6.25 % of it.
			const reported = one.valueAt(0.5);
			expect(reported).toBeGreaterThanOrEqual(v);
			expect(reported).toBeLessThanOrEqual(v * (1 + 1 / 16));
		}
	});

	test('percentiles of a uniform 1..10000 sample', () => {
		const h = new LogHistogram();
		for (let v = 1; v <= 10_000; v++) {
			h.record(v);
		}
		const s = summarize(h);
		expect(s.count).toBe(10_000);
		expect(s.max).toBe(10_000);
		expect(s.mean).toBeCloseTo(5000.5, 6);
		for (const [q, got] of [
			[0.5, s.p50],
			[0.95, s.p95],
			[0.99, s.p99],
		] as const) {
			expect(Math.abs(got - q * 10_000) / (q * 10_000)).toBeLessThan(1 / 16);
		}
		expect(h.min).toBe(1);
	});

	test('merge equals recording everything in one; negatives are counted apart; reset empties', () => {
		const a = new LogHistogram();
		const b = new LogHistogram();
		const all = new LogHistogram();
		for (let i = 0; i < 1000; i++) {
			const v = (i * 7919) % 50_000;
			(i % 2 ? a : b).record(v);
			all.record(v);
		}
		a.merge(b);
		expect(summarize(a)).toEqual(summarize(all));
		a.record(-5);
		expect(a.negative).toBe(1);
		expect(a.count).toBe(1000);
		a.reset();
		expect(summarize(a)).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
		expect(a.negative).toBe(0);
	});

	test('clamps values beyond 2^32 − 1', () => {
		const h = new LogHistogram();
		h.record(1e12);
		expect(h.max).toBe(0xffff_ffff);
	});
});

test('lossPercent', () => {
	expect(lossPercent(1, 1000)).toBeCloseTo(0.1);
	expect(lossPercent(0, 0)).toBe(0);
});

describe('InterarrivalJitter', () => {
	test('perfectly paced packets have no jitter; the timestamp may wrap', () => {
		const j = new InterarrivalJitter(48_000);
		let ts = 0xffff_ffff - 960 * 5;
		for (let i = 0; i < 20; i++) {
			j.push(ts >>> 0, 1_000_000 + i * 20_000);
			ts += 960;
		}
		expect(j.ms).toBeCloseTo(0, 9);
	});

	test('converges to the mean deviation of the arrival spacing (RFC 3550 A.8)', () => {
		// Every other packet arrives 4 ms late: each spacing differs from 20 ms by 4 ms, so J → 4 ms.
		const j = new InterarrivalJitter(48_000);
		for (let i = 0; i < 400; i++) {
			j.push(i * 960, i * 20_000 + (i % 2) * 4_000);
		}
		expect(j.ms).toBeCloseTo(4, 3);
	});

	test('one late packet moves the estimate by 1/16 of its deviation', () => {
		const j = new InterarrivalJitter(8_000);
		j.push(0, 0);
		j.push(160, 20_000 + 16_000);
		expect(j.ms).toBeCloseTo(1, 9);
	});
});

describe('percentile', () => {
	test('is the nearest-rank value of an unsorted list, 0 when empty', () => {
		const values = [9, 1, 7, 3, 5, 2, 8, 4, 10, 6];
		expect(percentile(values, 0.5)).toBe(5);
		expect(percentile(values, 0.95)).toBe(10);
		expect(percentile(values, 0)).toBe(1);
		expect(percentile(values, 1)).toBe(10);
		expect(percentile([], 0.99)).toBe(0);
		expect(values[0]).toBe(9);
	});
});
