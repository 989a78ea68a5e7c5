import { describe, expect, test } from 'vitest';
import { parseBenchArgs } from './cli.js';
import type { Row } from './measure.js';
import { nextStep } from './phases/ramp.js';
import { type BenchResults, bestStep, summarize } from './report.js';

const row = (listeners: number, workerCpuPct: number, extra: Partial<Row> = {}): Row => ({
	phase: '1 worker',
	workers: 1,
	listeners,
	forwardedPps: listeners * 200,
	expectedPps: listeners * 200,
	workerCpuPct,
	sfuNodeCpuPct: 1,
	generatorCpuPct: 5,
	lossPct: 0,
	latencyP50Ms: 1,
	latencyP99Ms: 4,
	rssMB: 200,
	...extra,
});

function results(rows: Row[], extra: Partial<BenchResults> = {}): BenchResults {
	return {
		options: parseBenchArgs([]),
		ramp: { rows, joinsMs: [100, 120, 300], memPerListenerKB: 40 },
		moderation: { samplesMs: [10, 20, 30], sockets: 1000, rounds: 5 },
		muted: row(rows.at(-1)!.listeners, 1, { forwardedPps: 0, expectedPps: 0 }),
		pipe: row(rows.at(-1)!.listeners, 50, { workers: 2 }),
		dtx: row(100, 5, { forwardedPps: 15_000, expectedPps: 20_000 }),
		startedAt: 0,
		...extra,
	};
}

describe('summarize', () => {
	test('capacity is the top step within the goals as measured, not scaled to a full core', () => {
		const rows = [row(100, 10), row(500, 50), row(1000, 95, { latencyP99Ms: 25 })];
		expect(bestStep(results(rows).ramp).listeners).toBe(500);
		const s = summarize(results(rows));
		expect(s.listenersPerCore).toBe(500);
		expect(s.topStepWorkerCpuPct).toBe(50);
		expect(s.topStepWithinGoals).toBe(true);
		// 100k pkt/s at 50 % of a core: 5 µs per packet, 200k pkt/s per core.
		expect(s.usPerPacket).toBe(5);
		expect(s.pktPerSecPerCore).toBe(200_000);
		expect(s.dtxSavingPct).toBe(25);
	});

	test('floor and Janus fields are null until their phases ran, then ratios of µs per packet', () => {
		const rows = [row(500, 50)];
		expect(summarize(results(rows))).toMatchObject({
			floorUsPerPacket: null,
			floorUnbatchedUsPerPacket: null,
			ratioToFloor: null,
			janusUsPerPacket: null,
			ratioToJanus: null,
			webrtcJoinP95Ms: null,
		});
		const s = summarize(
			results(rows, { floor: { usPerPacket: 2, unbatchedUsPerPacket: 2.5 }, janus: { usPerPacket: 10 } })
		);
		expect(s).toMatchObject({
			floorUsPerPacket: 2,
			floorUnbatchedUsPerPacket: 2.5,
			ratioToFloor: 2.5,
			janusUsPerPacket: 10,
			ratioToJanus: 2,
		});
	});
});

describe('webrtcJoinP95Ms', () => {
	const figures = (kind: 'plain' | 'webrtc', joinP95Ms: number) => ({ kind, joins: 30, joinP95Ms }) as never;
	const realism = (chromium?: { joins: number; joinP95Ms: number }) => ({
		realism: {
			row: row(260, 60),
			step: row(200, 50),
			plain: figures('plain', 120),
			webrtc: figures('webrtc', 340),
			failedJoins: 0,
			joinWallS: 3,
			...(chromium ? { chromium: { ...chromium, failed: 0, joinP50Ms: 0, stretches: {}, slowest: {} } } : {}),
		},
	});

	test("is Chromium's when the browser joined, with the werift bots' beside it", () => {
		const s = summarize(results([row(200, 50)], realism({ joins: 30, joinP95Ms: 150 })));
		expect(s.webrtcJoinP95Ms).toBe(150);
		expect(s.weriftJoinP95Ms).toBe(340);
	});

	test("falls back to the werift bots' without a browser", () => {
		const s = summarize(results([row(200, 50)], realism()));
		expect(s.webrtcJoinP95Ms).toBe(340);
		expect(
			summarize(results([row(200, 50)], realism({ joins: 0, joinP95Ms: Number.NaN }))).webrtcJoinP95Ms
		).toBe(340);
	});
});

describe('nextStep', () => {
	test('doubles up to 400, then grows by a quarter in hundreds, at least 200', () => {
		const steps = [100];
		while (steps.length < 8) {
			steps.push(nextStep(steps.at(-1)!));
		}
		expect(steps).toEqual([100, 200, 400, 600, 800, 1000, 1300, 1600]);
	});
});
