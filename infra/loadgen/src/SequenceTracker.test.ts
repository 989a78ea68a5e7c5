import { describe, expect, test } from 'vitest';
import { SequenceTracker, SeqVerdict } from './SequenceTracker.js';

function feed(seqs: number[]): SequenceTracker {
	const t = new SequenceTracker();
	for (const s of seqs) {
		t.push(s & 0xffff);
	}
	return t;
}

describe('SequenceTracker', () => {
	test('an in-order stream loses nothing, across the 16-bit wrap', () => {
		const seqs = Array.from({ length: 200_000 }, (_, i) => 65_000 + i);
		const t = feed(seqs);
		expect(t.received).toBe(200_000);
		expect(t.expected).toBe(200_000);
		expect(t.lost).toBe(0);
		// Three wraps: 65 000 → 265 000 crosses 65 536, 131 072 and 196 608 (plus the first cycle).
		expect(SequenceTracker.rolloverCounter(t.highest)).toBe(4);
	});

	test('gaps count as loss, also right at the wrap', () => {
		const t = feed([65_533, 65_534, 1, 2, 5]);
		// Missing: 65 535, 0, 3, 4.
		expect(t.expected).toBe(9);
		expect(t.lost).toBe(4);
	});

	test('reordered packets fill their gap and are not loss', () => {
		const t = feed([10, 12, 11, 14, 13, 20, 19]);
		expect(t.reordered).toBe(3);
		// 10..20 expected; 15–18 never came.
		expect(t.expected).toBe(11);
		expect(t.lost).toBe(4);
		const u = feed([65_535, 1, 0]);
		expect(u.lost).toBe(0);
		expect(u.reordered).toBe(1);
	});

	test('a packet from before the first one seen extends the range instead of counting as loss', () => {
		const t = feed([100, 99, 101]);
		expect(t.expected).toBe(3);
		expect(t.lost).toBe(0);
		const w = feed([0, 65_535]);
		expect(w.expected).toBe(2);
		expect(w.lost).toBe(0);
		expect(SequenceTracker.rolloverCounter(w.highest)).toBe(0);
	});

	test('duplicates are reported and never hide loss', () => {
		const t = new SequenceTracker();
		expect(t.push(1)).toBeGreaterThanOrEqual(0);
		expect(t.push(1)).toBe(SeqVerdict.Duplicate);
		t.push(3);
		expect(t.push(3)).toBe(SeqVerdict.Duplicate);
		expect(t.duplicates).toBe(2);
		// 2 is missing; RFC 3550's plain counter would say 0 lost (4 received of 3 expected).
		expect(t.lost).toBe(1);
		// A late 2 is then a reorder, not a duplicate.
		expect(t.push(2)).toBeGreaterThanOrEqual(0);
		expect(t.lost).toBe(0);
	});

	test('packets older than the window are set aside', () => {
		const t = feed([0, 2000]);
		expect(t.push(1)).toBe(SeqVerdict.TooOld);
		expect(t.tooOld).toBe(1);
		expect(t.lost).toBe(1999);
		// A jump larger than the window clears the bitmap: old slots are not mistaken for duplicates.
		expect(t.push(2000 - 5)).toBeGreaterThanOrEqual(0);
		expect(t.duplicates).toBe(0);
	});

	test('extended numbers give the SRTP rollover counter', () => {
		const t = new SequenceTracker();
		const first = t.push(65_535);
		const next = t.push(0);
		expect(SequenceTracker.rolloverCounter(first)).toBe(0);
		expect(SequenceTracker.rolloverCounter(next)).toBe(1);
	});
});
