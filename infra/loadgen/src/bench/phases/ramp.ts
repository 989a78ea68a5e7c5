// Phase A: one worker (one core), listeners ramped in steps; per step one measured window. The auto ramp
// grows until the worker's core is saturated or a step misses the goals, so the top step within the goals
// is a measured load, not an extrapolation. Also what the ramp leaves to read: every listener's join →
// first packet, and memory per listener.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogHistogram } from '../../stats.js';
import type { Listener } from '../bots.js';
import type { BenchContext } from '../context.js';
import { joinTimesMs, measure, passes, type Row, workersRssKB } from '../measure.js';
import { out } from '../output.js';
import { startProfile } from '../profile.js';
import type { BenchNode } from '../processes.js';
import { rssKB } from '../procfs.js';
import { liveBytes } from '../liveMemory.js';
import { addListeners, type Stage } from '../stage.js';

/** A room with its node and plain listeners, shared by the phases of one node. */
export type LiveRoom = { node: BenchNode; stage: Stage; listeners: Listener[]; latency: LogHistogram };

/** What the ramp measured. */
export type Ramp = { rows: Row[]; joinsMs: number[]; memPerListenerKB: number };

/** The auto ramp's first step. */
const FIRST_STEP = 100;
/** A worker at this share of its core is saturated: the ramp stops there. */
export const SATURATED_PCT = 90;

/** The auto ramp's next step: doubling up to 400, then +25 % (at least 200) in whole hundreds. */
export function nextStep(n: number): number {
	return n < 400 ? 2 * n : n + Math.max(200, Math.round(n / 400) * 100);
}

/** Whether the ramp goes on after `row` (auto: below saturation, within goals, below the maximum). */
function goOn(ctx: BenchContext, row: Row, index: number): boolean {
	const { steps, maxListeners } = ctx.options;
	if (steps !== 'auto') {
		return index + 1 < steps.length;
	}
	return row.workerCpuPct < SATURATED_PCT && passes(row) && nextStep(row.listeners) <= maxListeners;
}

/** Ramps `room` (just opened, no listeners yet) through `options.steps`. */
export async function rampPhase(ctx: BenchContext, room: LiveRoom): Promise<Ramp> {
	const { node, stage, listeners, latency } = room;
	const { shared } = ctx;
	const { steps, speakers, seconds } = ctx.options;
	const stepAt = (i: number, previous: number) =>
		steps === 'auto' ? (i === 0 ? FIRST_STEP : nextStep(previous)) : steps[i]!;
	await sleep(1000);
	const baseWorkersKB = workersRssKB(node);
	const baseNodeKB = rssKB(node.pid);
	const baseLiveKB = (await liveBytes(node.inspectUrl)) / 1024;
	const rows: Row[] = [];
	let profile: string[] = [];
	for (let i = 0, step = stepAt(0, 0); ; i++, step = stepAt(i, step)) {
		await addListeners(node, stage.roomId, listeners, step, latency, shared);
		await sleep(1500);
		const sampling = ctx.options.profile && node.workers[0] ? startProfile(node.workers[0]) : undefined;
		const row = await measure('1 worker', node, listeners, latency, speakers, seconds, shared?.native);
		profile = (await sampling?.stop()) ?? [];
		rows.push(row);
		out(`step ${step}: ${JSON.stringify(row)}`);
		if (!goOn(ctx, row, i)) {
			break;
		}
	}
	if (profile.length > 0) {
		out(
			`# profile of the worker at ${listeners.length} listeners (perf, share of its samples by object and symbol):`
		);
		for (const line of profile) {
			out(`#   ${line}`);
		}
	}
	// The worker's memory (C++: transports, consumers) grows steadily with its RSS. The Node process's RSS
	// also holds the heap V8 grew to while the joins made garbage, so what counts for it is what stays
	// alive after a full collection (liveMemory.ts); its RSS is printed beside.
	const workerGrowthKB = workersRssKB(node) - baseWorkersKB;
	const nodeGrowthKB = rssKB(node.pid) - baseNodeKB;
	const liveGrowthKB = (await liveBytes(node.inspectUrl)) / 1024 - baseLiveKB;
	const n = listeners.length;
	const perListener = (kb: number) => `${kb >= 0 ? '+' : ''}${Math.round(kb / n)}`;
	out(
		`# memory: worker ${perListener(workerGrowthKB)} KB/listener, Node process ${perListener(liveGrowthKB)} KB/listener live (RSS ${perListener(nodeGrowthKB)}) (${n} listeners)`
	);
	return {
		rows,
		joinsMs: joinTimesMs(listeners),
		memPerListenerKB: Math.round((workerGrowthKB + Math.max(0, liveGrowthKB)) / n),
	};
}
