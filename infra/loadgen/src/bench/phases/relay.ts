// Phase R: one room across two SFU processes of one worker each: the stage on the origin, half of the
// listeners there and half on a relay node, whose tickets name it as `node` and the origin as `org` (as
// the API signs them when the origin is full). The first relay listener joins alone (it opens the relay's
// PipeTransport link to the origin over the bus); the others join alternating origin and relay, so both
// kinds' join → first packet is timed under the same load; then one measured window. Both nodes stop
// afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import { LogHistogram } from '../../stats.js';
import { identity, inBatches, type Listener, startListener, ticketFor } from '../bots.js';
import type { BenchContext } from '../context.js';
import { figures, firstPacketOf, type KindFigures, measure, type Row, snapshot } from '../measure.js';
import type { BenchNode } from '../processes.js';
import { cpuMs, cpuPct } from '../procfs.js';
import { closeStage, openStage, type Stage } from '../stage.js';

/** The window's row, both kinds' figures, the link's opening and each node's worker CPU. */
export type RelayPhase = {
	row: Row;
	origin: KindFigures;
	relay: KindFigures;
	/** Join → first packet of the first relay listener, whose join opens the relay and its link. */
	firstRelayJoinMs: number | null;
	/** Each node's worker CPU in the window (% of a core). */
	workerCpuPct: { origin: number; relay: number };
	/** Wall time of the whole phase, node starts included. */
	phaseS: number;
};

/** Runs the phase with `count` listeners (see the file comment). */
export async function relayPhase(ctx: BenchContext, count: number): Promise<RelayPhase> {
	const started = Date.now();
	const { speakers, seconds } = ctx.options;
	// Each node is tracked by the supervisor as soon as it is up, so it stops even if the other fails.
	const nodes = await Promise.all(
		[0, 1].map(() => ctx.procs.startNode(ctx.apiUrl, ctx.redisUrl, { MEDIASOUP_NUM_WORKERS: '1' }))
	);
	const [origin, relay] = nodes as [BenchNode, BenchNode];
	const originLatency = new LogHistogram();
	const relayLatency = new LogHistogram();
	const onOrigin: Listener[] = [];
	const onRelay: Listener[] = [];
	let stage: Stage | undefined;
	try {
		stage = await openStage(ctx, origin, false);
		const roomId = stage.roomId;
		// With a native sink, each kind's every 10th listener keeps a sink of its own (the per-kind figures).
		const portFor = (k: number) => ctx.shared?.portFor(k);
		const joinRelay = async (port?: number) =>
			startListener(
				relay.url,
				await ticketFor(identity('listener'), roomId, relay.nodeId, false, origin.nodeId),
				relayLatency,
				port
			);
		const first = await joinRelay();
		onRelay.push(first);
		const until = Date.now() + 10_000;
		while (Date.now() < until && !Number.isFinite(firstPacketOf(first))) {
			await sleep(50);
		}
		const firstMs = (firstPacketOf(first) - first.joinStartUs) / 1000;
		await inBatches(count - 1, 20, async (i) => {
			if (i % 2 === 0) {
				const ticket = await ticketFor(identity('listener'), roomId, origin.nodeId, false);
				onOrigin.push(await startListener(origin.url, ticket, originLatency, portFor(i / 2)));
			} else {
				onRelay.push(await joinRelay(portFor((i + 1) / 2)));
			}
		});
		await sleep(1500);
		const everyone = [...onOrigin, ...onRelay];
		const before = snapshot(everyone);
		const workerCpu = (n: BenchNode) => n.workers.reduce((s, p) => s + cpuMs(p), 0);
		const w0 = nodes.map(workerCpu);
		const t0 = performance.now();
		const row = await measure(
			'2 nodes (relay)',
			nodes,
			everyone,
			[originLatency, relayLatency],
			speakers,
			seconds,
			ctx.shared?.native
		);
		const wallMs = performance.now() - t0;
		const [originCpu, relayCpu] = nodes.map((n, i) => cpuPct(workerCpu(n) - w0[i]!, wallMs));
		return {
			row,
			origin: figures('origin', timed(onOrigin), timed(onOrigin), before, wallMs / 1000, originLatency),
			relay: figures('relay', timed(onRelay), timed(onRelay.slice(1)), before, wallMs / 1000, relayLatency),
			firstRelayJoinMs: Number.isFinite(firstMs) ? Number(firstMs.toFixed(1)) : null,
			workerCpuPct: { origin: originCpu!, relay: relayCpu! },
			phaseS: Math.round((Date.now() - started) / 1000),
		};
	} finally {
		if (stage) {
			await closeStage(stage, [...onOrigin, ...onRelay]);
		}
		// The relay first: closing, it tells the origin its link is gone.
		await ctx.procs.stop(relay);
		await ctx.procs.stop(origin);
	}
}

/** The listeners with a sink of their own (the others count in the row only). */
const timed = (ls: readonly Listener[]) => ls.filter((l) => l.sink);

/** The phase's detail line; the relay listeners' join p95 leaves out the first one (firstRelayJoinMs). */
export function relayDetail(r: RelayPhase): object {
	const pick = (f: KindFigures) => ({
		listeners: f.listeners,
		ppsEach: f.ppsEach,
		minPpsEach: f.minPpsEach,
		lossPct: f.lossPct,
		joinP95Ms: f.joinP95Ms,
		latencyP50Ms: f.latencyP50Ms,
		latencyP99Ms: f.latencyP99Ms,
	});
	return {
		relay: pick(r.relay),
		origin: pick(r.origin),
		firstRelayJoinMs: r.firstRelayJoinMs,
		workerCpuPct: r.workerCpuPct,
		phaseS: r.phaseS,
	};
}
