// What a run prints: progress and tables on stderr, and as the last stdout line one JSON object, the
// summary that tools read.
import { loadavg } from 'node:os';
import { percentile } from '../stats.js';
import type { BenchOptions } from './cli.js';
import { passes, perCore, type Row, usPerPacket } from './measure.js';
import { out, table } from './output.js';
import type { Moderation } from './phases/moderation.js';
import type { Ramp } from './phases/ramp.js';
import { type Realism, realismDetail } from './phases/realism.js';
import { type RelayPhase, relayDetail } from './phases/relay.js';

/**
 * The floor's figures (phases/floor.ts): CPU µs per SRTP copy of the minimal C forwarder, same run, with
 * its copies batched into sendmmsg and with a system call per copy (as mediasoup sends).
 */
export type FloorFigures = { usPerPacket: number; unbatchedUsPerPacket: number };

/** The peer's figure (phases/janus.ts): Janus VideoRoom's CPU µs per forwarded packet, same run. */
export type JanusFigures = { usPerPacket: number };

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
	/** Absent until the floor phase runs (its JSON fields are then null). */
	floor?: FloorFigures;
	/** Absent until the Janus phase runs (its JSON fields are then null). */
	janus?: JanusFigures;
	startedAt: number;
};

/** The JSON summary (see docs/benchmarks.md for each field); null: the phase did not run or failed. */
export type Summary = {
	listenersPerCore: number;
	pktPerSecPerCore: number;
	usPerPacket: number;
	floorUsPerPacket: number | null;
	/** The floor with a system call per copy, as mediasoup sends: what batching a fan-out saves is the difference. */
	floorUnbatchedUsPerPacket: number | null;
	ratioToFloor: number | null;
	janusUsPerPacket: number | null;
	ratioToJanus: number | null;
	lossPct: number;
	addedLatencyP99Ms: number;
	joinP95Ms: number;
	/** Chromium listeners' join → first packet p95; werift's where no browser ran. */
	webrtcJoinP95Ms: number | null;
	/** The werift bots' join → first packet p95 (ICE and DTLS in JavaScript in the generator). */
	weriftJoinP95Ms: number | null;
	moderationP99Ms: number;
	memPerListenerKB: number;
	pipeScalingEfficiency: number;
	/** The top step's share of the worker's core: near 100 % the step is the core's capacity. */
	topStepWorkerCpuPct: number;
	/** False when no step met the goals (the figures are then the first step's). */
	topStepWithinGoals: boolean;
	/** Packets DTX speakers did not send, % of a stage without DTX. */
	dtxSavingPct: number;
};

/** The ramp step that forwarded the most (the most work the single worker did). */
export function topStep(ramp: Ramp): Row {
	return ramp.rows.reduce((a, b) => (b.forwardedPps > a.forwardedPps ? b : a));
}

/** The highest ramp step within the loss/latency goals (else the first). */
export function bestStep(ramp: Ramp): Row {
	return [...ramp.rows].reverse().find(passes) ?? ramp.rows[0]!;
}

const fixed = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * The summary. Capacity is the top step within the goals as measured: its listeners (not scaled up to a
 * full core), its packets/s per core of worker CPU and its worker µs per packet; the floor's and Janus's
 * ratios compare that µs per packet with theirs (ratioToFloor: Majlis ÷ floor, lower is better;
 * ratioToJanus: Janus ÷ Majlis, i.e. Majlis's packets per core as a multiple of Janus's).
 */
export function summarize(r: BenchResults): Summary {
	const best = bestStep(r.ramp);
	const top = topStep(r.ramp);
	const us = usPerPacket(best);
	const floor = r.floor?.usPerPacket ?? null;
	const janus = r.janus?.usPerPacket ?? null;
	const werift = r.realism && r.realism.webrtc.joins > 0 ? r.realism.webrtc.joinP95Ms : null;
	return {
		listenersPerCore: best.listeners,
		pktPerSecPerCore: Math.round(perCore(best)),
		usPerPacket: us,
		floorUsPerPacket: floor,
		floorUnbatchedUsPerPacket: r.floor?.unbatchedUsPerPacket ?? null,
		ratioToFloor: floor && us ? fixed(us / floor, 2) : null,
		janusUsPerPacket: janus,
		ratioToJanus: janus && us ? fixed(janus / us, 2) : null,
		lossPct: best.lossPct,
		addedLatencyP99Ms: best.latencyP99Ms,
		joinP95Ms: fixed(percentile(r.ramp.joinsMs, 0.95), 1),
		webrtcJoinP95Ms: r.realism?.chromium?.joins ? r.realism.chromium.joinP95Ms : werift,
		weriftJoinP95Ms: werift,
		moderationP99Ms: fixed(percentile(r.moderation.samplesMs, 0.99), 1),
		memPerListenerKB: r.ramp.memPerListenerKB,
		// Adding a worker: 2 workers carry 2 × (their per-core rate, pipes included); the added capacity as
		// a fraction of one worker's.
		pipeScalingEfficiency: fixed((2 * perCore(r.pipe) - perCore(top)) / perCore(top), 3),
		topStepWorkerCpuPct: best.workerCpuPct,
		topStepWithinGoals: passes(best),
		dtxSavingPct: r.dtx.expectedPps > 0 ? fixed(100 * (1 - r.dtx.forwardedPps / r.dtx.expectedPps), 1) : 0,
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
		`# ${passes(best) ? 'best step within goals' : 'no step within goals, the first'}: ${best.listeners} listeners (${best.forwardedPps} pkt/s at ${best.workerCpuPct}% of the worker's core); ` +
			`joins measured: ${r.ramp.joinsMs.length}; moderation receipts: ${mod.samplesMs.length}; muted forwarded pkt/s: ${r.muted.forwardedPps}; ` +
			`DTX forwarded pkt/s: ${r.dtx.forwardedPps} of ${r.dtx.expectedPps} without DTX; load average ${loadavg()[0]!.toFixed(2)}; ` +
			`${Math.round((Date.now() - r.startedAt) / 1000)} s`
	);
	const plainStep = r.ramp.rows.find((row) => row.listeners === r.dtx.listeners);
	out(
		`# DTX: ${r.dtx.forwardedPps} of ${r.dtx.expectedPps} pkt/s without DTX (${summarize(r).dtxSavingPct} % fewer); ` +
			`worker ${r.dtx.workerCpuPct} % of a core vs ${plainStep?.workerCpuPct ?? '?'} % for ${r.dtx.listeners} listeners without DTX`
	);
	if (r.realism) {
		out(`# webrtc realism: ${JSON.stringify(realismDetail(r.realism, r.options.webrtcSeconds))}`);
	}
	if (r.relay) {
		out(`# relay phase: ${JSON.stringify(relayDetail(r.relay))}`);
	}
	process.stdout.write(`${JSON.stringify(summarize(r))}\n`);
}
