// One measured window over a set of receivers: what the sinks got (forwarded packets/s, loss, latency)
// against what the SFU spent (its workers' and Node process's CPU from /proc, its memory) and what the
// generator spent; and the per-kind figures the realism and relay phases compare.
import { setTimeout as sleep } from 'node:timers/promises';
import type { NativeSink } from '../NativeSink.js';
import { addTotals, type RtpStreamStats, type SinkTotals } from '../RtpSink.js';
import { LogHistogram, lossPercent, percentile } from '../stats.js';
import { WebRtcListener } from '../WebRtcListener.js';
import type { Listener } from './bots.js';
import type { BenchNode } from './processes.js';
import { cpuMs, cpuPct, rssKB } from './procfs.js';

/** One line of the results table. */
export type Row = {
	phase: string;
	workers: number;
	listeners: number;
	forwardedPps: number;
	expectedPps: number;
	workerCpuPct: number;
	sfuNodeCpuPct: number;
	generatorCpuPct: number;
	lossPct: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	rssMB: number;
};

/** A plain listener (its sink) or a WebRTC one. */
export type Receiver = Listener | WebRtcListener;

/** Within the goals: ≤ 0.1 % loss and ≤ 10 ms p99 added latency. */
export const passes = (r: Row): boolean => r.lossPct <= 0.1 && r.latencyP99Ms <= 10;

/** Worker CPU µs per forwarded packet (0 when nothing was forwarded). */
export const usPerPacket = (r: Row | undefined): number =>
	r && r.forwardedPps > 0 ? Number(((r.workerCpuPct * 1e4) / r.forwardedPps).toFixed(1)) : 0;

/** Forwarded packets per second of worker CPU (the worker is one thread: 100 % = one core). */
export const perCore = (r: Row): number => (r.workerCpuPct > 0 ? (r.forwardedPps * 100) / r.workerCpuPct : 0);

/** Packet counters summed over receivers. */
export function totalsOf(listeners: readonly Receiver[]): SinkTotals {
	const sum: SinkTotals = { packets: 0, bytes: 0, expected: 0, lost: 0, duplicates: 0, authFailures: 0 };
	for (const l of listeners) {
		if (l instanceof WebRtcListener) {
			addTotals(sum, l.totals());
		} else if (l.sink) {
			addTotals(sum, l.sink.totals());
		}
	}
	return sum;
}

/** Resident memory of a node's workers, KB. */
export function workersRssKB(node: BenchNode): number {
	return node.workers.reduce((n, p) => n + rssKB(p), 0);
}

/**
 * Measures `seconds` of traffic to `listeners` on one node or several (the relay phase: workers, Node
 * processes and memory are summed over them); `speakers` sets the expected packet rate. With a `native`
 * sink, its counts join the Node sinks' and its latency (kernel receive timestamps, no event loop in the
 * way) is the window's.
 */
export async function measure(
	phase: string,
	nodeOrNodes: BenchNode | readonly BenchNode[],
	listeners: readonly Receiver[],
	latencies: LogHistogram | readonly LogHistogram[],
	speakers: number,
	seconds: number,
	native?: NativeSink
): Promise<Row> {
	const histograms = Array.isArray(latencies) ? latencies : [latencies];
	const nodes: readonly BenchNode[] = Array.isArray(nodeOrNodes) ? nodeOrNodes : [nodeOrNodes];
	const workers = nodes.flatMap((n) => n.workers);
	const nodeCpuMs = () => nodes.reduce((s, n) => s + cpuMs(n.pid), 0);
	const a = totalsOf(listeners);
	for (const h of histograms) {
		h.reset();
	}
	const w0 = workers.map(cpuMs);
	const n0 = nodeCpuMs();
	const g0 = process.cpuUsage();
	const s0 = native ? cpuMs(native.pid) : 0;
	native?.reset();
	const t0 = performance.now();
	await sleep(seconds * 1000);
	const wallMs = performance.now() - t0;
	const b = totalsOf(listeners);
	const n = await native?.snapshot();
	if (n) {
		b.packets += n.packets;
		b.expected += n.expected;
		b.lost += n.lost;
	}
	const g = process.cpuUsage(g0);
	const workerCpu = workers.map(cpuMs).reduce((s, v, i) => s + v - w0[i]!, 0);
	const latency = new LogHistogram();
	for (const h of histograms) {
		latency.merge(h);
	}
	const useNative = n !== undefined && n.latencySamples > 0;
	const p50 = useNative ? n.latencyP50Ms : latency.valueAt(0.5) / 1000;
	const p99 = useNative ? n.latencyP99Ms : latency.valueAt(0.99) / 1000;
	return {
		phase,
		workers: workers.length,
		listeners: listeners.length,
		forwardedPps: Math.round(((b.packets - a.packets) * 1000) / wallMs),
		expectedPps: speakers * 50 * listeners.length,
		workerCpuPct: cpuPct(workerCpu, wallMs),
		sfuNodeCpuPct: cpuPct(nodeCpuMs() - n0, wallMs),
		// The generator: this process and its native sink.
		generatorCpuPct: cpuPct((g.user + g.system) / 1000 + (native ? cpuMs(native.pid) - s0 : 0), wallMs),
		lossPct: Number(lossPercent(b.lost - a.lost, b.expected - a.expected).toFixed(4)),
		latencyP50Ms: Number(p50.toFixed(2)),
		latencyP99Ms: Number(p99.toFixed(2)),
		rssMB: Math.round(nodes.reduce((s, n) => s + rssKB(n.pid) + workersRssKB(n), 0) / 1024),
	};
}

/** Join → first packet (ms) of the plain listeners that received anything. */
export function joinTimesMs(listeners: readonly Listener[]): number[] {
	return listeners.map((l) => (firstPacketOf(l) - l.joinStartUs) / 1000).filter((ms) => Number.isFinite(ms));
}

/** What one kind of listener received in a measured window (realism check, relay phase). */
export type KindFigures = {
	kind: 'plain' | 'webrtc' | 'origin' | 'relay';
	listeners: number;
	/** Packets/s per listener, mean and lowest (4 speakers: 200 expected). */
	ppsEach: number;
	minPpsEach: number;
	lossPct: number;
	/** Join → first packet of the listeners that joined in this phase (both kinds side by side). */
	joins: number;
	joinP50Ms: number;
	joinP95Ms: number;
	/** Receive time − abs-capture-time send time (same host clock). */
	latencyP50Ms: number;
	latencyP99Ms: number;
	/** RFC 3550 interarrival jitter at the end of the window, mean over streams. */
	jitterMs: number;
};

function streamsOf(l: Receiver): RtpStreamStats[] {
	if (l instanceof WebRtcListener) {
		return [...l.streams.values()].map((s) => s.stats);
	}
	return [...(l.sink?.streams.values() ?? [])];
}

/** When a receiver's first packet arrived (µs), +∞ before any (or without a sink of its own). */
export function firstPacketOf(l: Receiver): number {
	return l instanceof WebRtcListener
		? l.firstPacketUs
		: Math.min(...streamsOf(l).map((s) => s.firstPacketUs));
}

/** Per-kind figures over `all` from counters taken `before` a window of `dt` s; joins of `joined`. */
export function figures(
	kind: KindFigures['kind'],
	all: readonly Receiver[],
	joined: readonly Receiver[],
	before: ReadonlyMap<Receiver, SinkTotals>,
	dt: number,
	latency: LogHistogram
): KindFigures {
	const pps: number[] = [];
	let lost = 0;
	let expected = 0;
	for (const l of all) {
		const a = before.get(l)!;
		const b = totalsOf([l]);
		pps.push((b.packets - a.packets) / dt);
		lost += b.lost - a.lost;
		expected += b.expected - a.expected;
	}
	const joins = joined
		.map((l) => (firstPacketOf(l) - l.joinStartUs) / 1000)
		.filter((ms) => Number.isFinite(ms));
	const jitters = all.flatMap((l) => streamsOf(l).map((s) => s.jitter.ms));
	const mean = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
	return {
		kind,
		listeners: all.length,
		ppsEach: Number(mean(pps).toFixed(1)),
		minPpsEach: Number((pps.length ? Math.min(...pps) : 0).toFixed(1)),
		lossPct: Number(lossPercent(lost, expected).toFixed(4)),
		joins: joins.length,
		joinP50Ms: Number(percentile(joins, 0.5).toFixed(1)),
		joinP95Ms: Number(percentile(joins, 0.95).toFixed(1)),
		latencyP50Ms: Number((latency.valueAt(0.5) / 1000).toFixed(2)),
		latencyP99Ms: Number((latency.valueAt(0.99) / 1000).toFixed(2)),
		jitterMs: Number(mean(jitters).toFixed(2)),
	};
}

/** Counters of each receiver now, to diff after a window. */
export function snapshot(receivers: readonly Receiver[]): Map<Receiver, SinkTotals> {
	return new Map(receivers.map((l) => [l, totalsOf([l])] as const));
}
