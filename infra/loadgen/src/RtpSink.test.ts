import { describe, expect, test } from 'vitest';
import { RtpStreamStats, streamTotals } from './RtpSink.js';
import { SeqVerdict } from './SequenceTracker.js';

describe('RtpStreamStats.account', () => {
	test('counts packets, loss and duplicates, and keeps duplicates out of the jitter', () => {
		const s = new RtpStreamStats(7, 1_000);
		const at = (i: number) => 1_000 + i * 20_000;
		expect(s.account(100, 0, at(0))).toBeGreaterThanOrEqual(0);
		expect(s.account(101, 960, at(1))).toBeGreaterThanOrEqual(0);
		// 102 lost.
		expect(s.account(103, 2880, at(3))).toBeGreaterThanOrEqual(0);
		// A duplicate of 103, much later: counted as a datagram, not as received nor in the jitter.
		expect(s.account(103, 2880, at(9))).toBe(SeqVerdict.Duplicate);
		expect(s.packets).toBe(4);
		expect(s.seq.received).toBe(3);
		expect(s.seq.lost).toBe(1);
		expect(s.seq.duplicates).toBe(1);
		expect(s.lastPacketUs).toBe(at(9));
		expect(s.firstPacketUs).toBe(1_000);
		expect(s.jitter.ms).toBeCloseTo(0, 9);
	});
});

describe('streamTotals', () => {
	test('sums packets, bytes, expected, lost, duplicates and auth failures over streams', () => {
		const a = new RtpStreamStats(1, 0);
		a.account(1, 0, 0);
		a.account(3, 1920, 40_000);
		a.bytes = 300;
		const b = new RtpStreamStats(2, 0);
		b.account(9, 0, 0);
		b.account(9, 0, 1);
		b.bytes = 200;
		b.authFailures = 1;
		expect(streamTotals([a, b])).toEqual({
			packets: 4,
			bytes: 500,
			expected: 4,
			lost: 1,
			duplicates: 1,
			authFailures: 1,
		});
		expect(streamTotals([])).toEqual({
			packets: 0,
			bytes: 0,
			expected: 0,
			lost: 0,
			duplicates: 0,
			authFailures: 0,
		});
	});
});
