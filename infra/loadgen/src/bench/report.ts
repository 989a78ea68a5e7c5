// What a run prints: progress and tables on stderr, and as the last stdout line one JSON object, the
// summary that tools read.
import { loadavg } from 'node:os';
import { percentile } from '../stats.js';
import type { BenchOptions } from './cli.js';
import { passes, perCore, type Row } from './measure.js';
import type { Moderation } from './phases/moderation.js';
import type { Ramp } from './phases/ramp.js';
import { type Realism, realismDetail } from './phases/realism.js';
import { type RelayPhase, relayDetail } from './phases/relay.js';

/** A progress or detail line on stderr (stdout carries only the summary). */
export const out = (line = ''): void => {
	process.stderr.write(`${line}\n`);
};

/** Prints rows as a right-aligned table, one column per key of the first row. */
export function table<T extends object>(rows: readonly T[]): void {
	const cols = Object.keys(rows[0] ?? {}) as (keyof T)[];
	const widths = cols.map((c) => Math.max(String(c).length, ...rows.map((r) => String(r[c]).length)));
	out(cols.map((c, i) => String(c).padStart(widths[i]!)).join('  '));
	for (const r of rows) {
		out(cols.map((c, i) => String(r[c]).padStart(widths[i]!)).join('  '));
	}
}

/** Everything the phases measured. */
export type BenchResults = {
	options: BenchOptions;
	ramp: Ramp;
	moderation: Moderation;
	muted: Row;
	realism?: Realism;
	pipe: Row;
	relay?: RelayPhase;
	dtx: Row;
	startedAt: number;
};

/** The JSON summary (see docs/benchmarks.md for each field). */
export type Summary = {
	listenersPerCore: number;
	pktPerSecPerCore: number;
	lossPct: number;
	addedLatencyP99Ms: number;
	joinP95Ms: number;
	moderationP99Ms: number;
	memPerListenerKB: number;
	pipeScalingEfficiency: number;
};

/** The ramp step that forwarded the most (the most work the single worker did). */
export function topStep(ramp: Ramp): Row {
	return ramp.rows.reduce((a, b) => (b.forwardedPps > a.forwardedPps ? b : a));
}

/** The highest ramp step within the loss/latency goals (else the first). */
export function bestStep(ramp: Ramp): Row {
	return [...ramp.rows].reverse().find(passes) ?? ramp.rows[0]!;
}

/** The summary: capacity per core at the best step, its loss and latency, and the other phases' figures. */
export function summarize(r: BenchResults): Summary {
	const best = bestStep(r.ramp);
	const top = topStep(r.ramp);
	const pktPerSecPerCore = Math.round(perCore(best));
	return {
		listenersPerCore: Math.round(pktPerSecPerCore / (r.options.speakers * 50)),
		pktPerSecPerCore,
		lossPct: best.lossPct,
		addedLatencyP99Ms: best.latencyP99Ms,
		joinP95Ms: Number(percentile(r.ramp.joinsMs, 0.95).toFixed(1)),
		moderationP99Ms: Number(percentile(r.moderation.samplesMs, 0.99).toFixed(1)),
		memPerListenerKB: r.ramp.memPerListenerKB,
		// Adding a worker: 2 workers carry 2 × (their per-core rate, pipes included); the added capacity as
		// a fraction of one worker's.
		pipeScalingEfficiency: Number(((2 * perCore(r.pipe) - perCore(top)) / perCore(top)).toFixed(3)),
	};
}

/** Prints the tables, the detail lines and, last on stdout, the JSON summary. */
export function report(r: BenchResults): void {
	const rows = [
		...r.ramp.rows,
		r.muted,
		...(r.realism ? [r.realism.row] : []),
		r.pipe,
		...(r.relay ? [r.relay.row] : []),
		r.dtx,
	];
	out('');
	table(rows);
	out('');
	if (r.realism) {
		table([r.realism.plain, r.realism.webrtc]);
		out('');
	}
	if (r.relay) {
		table([r.relay.origin, r.relay.relay]);
		out('');
	}
	const best = bestStep(r.ramp);
	const mod = r.moderation;
	out(
		`# moderation: ${mod.sockets} listener sockets, ${mod.samplesMs.length} receipts over ${mod.rounds} rounds`
	);
	out(
		`# best step within goals: ${best.listeners} listeners (${best.forwardedPps} pkt/s at ${best.workerCpuPct}% of the worker's core); ` +
			`joins measured: ${r.ramp.joinsMs.length}; moderation receipts: ${mod.samplesMs.length}; muted forwarded pkt/s: ${r.muted.forwardedPps}; ` +
			`DTX forwarded pkt/s: ${r.dtx.forwardedPps} of ${r.dtx.expectedPps} without DTX; load average ${loadavg()[0]!.toFixed(2)}; ` +
			`${Math.round((Date.now() - r.startedAt) / 1000)} s`
	);
	if (r.realism) {
		const stepRow = r.ramp.rows.find((row) => row.listeners === r.options.webrtcStep);
		out(`# webrtc realism: ${JSON.stringify(realismDetail(r.realism, stepRow, r.options.webrtcSeconds))}`);
	}
	if (r.relay) {
		out(`# relay phase: ${JSON.stringify(relayDetail(r.relay))}`);
	}
	process.stdout.write(`${JSON.stringify(summarize(r))}\n`);
}
