import { describe, expect, test } from 'vitest';
import type { VoiceCounters } from './diagnosis';
import { summarizeQuality } from './qualityReport';

function voice(userId: string, packetsReceived: number, packetsLost: number, jitter = 0.01): VoiceCounters {
	return {
		userId,
		at: 0,
		paused: false,
		packetsReceived,
		packetsLost,
		bytesReceived: 0,
		jitter,
		audioLevel: 0,
	};
}

describe('summarizeQuality', () => {
	test('loss is over every voice’s packets of the interval; good below the thresholds', () => {
		const report = summarizeQuality(
			[voice('a', 100, 0), voice('b', 1000, 10)],
			[voice('a', 600, 2), voice('b', 1500, 12)]
		);
		expect(report).toEqual({ lossPct: 0.4, jitterMs: 10, verdict: 'good' });
	});

	test('10 % loss is poor', () => {
		expect(summarizeQuality([voice('a', 0, 0)], [voice('a', 450, 50)])).toEqual({
			lossPct: 10,
			jitterMs: 10,
			verdict: 'poor',
		});
	});

	test('jitter past 50 ms is poor even without loss', () => {
		expect(summarizeQuality([voice('a', 0, 0)], [voice('a', 500, 0, 0.08)])?.verdict).toBe('poor');
	});

	test('nothing expected (silence, a paused voice, a voice new this interval) says nothing', () => {
		expect(summarizeQuality([voice('a', 10, 0)], [voice('a', 10, 0)])).toBeNull();
		expect(summarizeQuality([voice('a', 10, 0)], [{ ...voice('a', 900, 90), paused: true }])).toBeNull();
		expect(summarizeQuality([], [voice('b', 900, 90)])).toBeNull();
	});
});
