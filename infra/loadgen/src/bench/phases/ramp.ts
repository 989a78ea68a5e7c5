// Phase A: one worker (one core), listeners ramped in steps; per step one measured window. Also what the
// ramp leaves to read: every listener's join → first packet, and memory per listener.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogHistogram } from '../../stats.js';
import type { Listener } from '../bots.js';
import type { BenchContext } from '../context.js';
import { joinTimesMs, measure, type Row, workersRssKB } from '../measure.js';
import type { BenchNode } from '../processes.js';
import { rssKB } from '../procfs.js';
import { out } from '../report.js';
import { addListeners, type Stage } from '../stage.js';

/** A room with its node and plain listeners, shared by the phases of one node. */
export type LiveRoom = { node: BenchNode; stage: Stage; listeners: Listener[]; latency: LogHistogram };

/** What the ramp measured. */
export type Ramp = { rows: Row[]; joinsMs: number[]; memPerListenerKB: number };

/** Ramps `room` (just opened, no listeners yet) through `options.steps`. */
export async function rampPhase(ctx: BenchContext, room: LiveRoom): Promise<Ramp> {
	const { node, stage, listeners, latency } = room;
	const { steps, speakers, seconds } = ctx.options;
	await sleep(1000);
	const baseWorkersKB = workersRssKB(node);
	const baseNodeKB = rssKB(node.pid);
	const rows: Row[] = [];
	for (const step of steps) {
		await addListeners(node, stage.roomId, listeners, step, latency);
		await sleep(1500);
		const row = await measure('1 worker', node, listeners, latency, speakers, seconds);
		rows.push(row);
		out(`step ${step}: ${JSON.stringify(row)}`);
	}
	// The worker's memory (C++: transports, consumers) grows steadily; the Node process's RSS moves with
	// V8's garbage collection and can even shrink, so its growth only counts when positive.
	const workerGrowthKB = workersRssKB(node) - baseWorkersKB;
	const nodeGrowthKB = rssKB(node.pid) - baseNodeKB;
	const n = listeners.length;
	out(
		`# memory: worker +${Math.round(workerGrowthKB / n)} KB/listener, Node process ${nodeGrowthKB >= 0 ? '+' : ''}${Math.round(nodeGrowthKB / n)} KB/listener (${n} listeners)`
	);
	return {
		rows,
		joinsMs: joinTimesMs(listeners),
		memPerListenerKB: Math.round((workerGrowthKB + Math.max(0, nodeGrowthKB)) / n),
	};
}
