import type { QualityReport } from '@majlis/protocol';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { VoiceCounters } from './diagnosis';
import { QualityReporter, summarizeQuality } from './qualityReport';

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

describe('QualityReporter', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	// Each sample has 100 more packets of which 10 more lost: every interval after the first is 10 % loss.
	function counting() {
		let n = 0;

		return async () => {
			n += 1;

			return [voice('a', n * 90, n * 10)];
		};
	}

	test('sends a report each interval after the first sample, to the session it was started for', async () => {
		const reporter = new QualityReporter(counting(), 1000);
		const sent: QualityReport[] = [];
		reporter.start(async (report) => sent.push(report));
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toEqual([]);
		await vi.advanceTimersByTimeAsync(2000);
		expect(sent).toEqual([
			{ lossPct: 10, jitterMs: 10, verdict: 'poor' },
			{ lossPct: 10, jitterMs: 10, verdict: 'poor' },
		]);
		reporter.stop();
	});

	test('starting again stops the previous reports; stop ends them and may be repeated', async () => {
		const reporter = new QualityReporter(counting(), 1000);
		const first: QualityReport[] = [];
		const second: QualityReport[] = [];
		reporter.start(async (report) => first.push(report));
		await vi.advanceTimersByTimeAsync(1000);
		reporter.start(async (report) => second.push(report));
		await vi.advanceTimersByTimeAsync(3000);
		expect(first).toHaveLength(1);
		expect(second).toHaveLength(3);
		reporter.stop();
		reporter.stop();
		await vi.advanceTimersByTimeAsync(5000);
		expect(second).toHaveLength(3);
	});

	test('a failed sample or send is skipped and the next interval tries again', async () => {
		const sample = counting();
		let fail = true;
		const reporter = new QualityReporter(() => (fail ? Promise.reject(new Error('closed')) : sample()), 1000);
		const sent: QualityReport[] = [];
		reporter.start(async (report) => {
			sent.push(report);
			throw new Error('not connected');
		});
		await vi.advanceTimersByTimeAsync(1000);
		fail = false;
		await vi.advanceTimersByTimeAsync(2000);
		expect(sent).toHaveLength(1);
		reporter.stop();
	});
});
