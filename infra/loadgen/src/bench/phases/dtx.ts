// Phase C: Opus DTX speakers (the speech signal has pauses): what reaches the listeners against the
// packets a stage without DTX sends, on a one-worker node with as many listeners as a ramp step, so the
// row compares with that step's (packets and the worker's CPU).
import { setTimeout as sleep } from 'node:timers/promises';
import { LogHistogram } from '../../stats.js';
import type { Listener } from '../bots.js';
import type { BenchContext } from '../context.js';
import { measure, type Row } from '../measure.js';
import { addListeners, closeStage, openStage } from '../stage.js';

/** One window with `listeners` listeners of DTX speakers on a fresh one-worker node. */
export async function dtxPhase(ctx: BenchContext, listeners: number): Promise<Row> {
	const node = await ctx.procs.startNode(ctx.apiUrl, ctx.redisUrl, { MEDIASOUP_NUM_WORKERS: '1' });
	const stage = await openStage(ctx, node, true);
	const joined: Listener[] = [];
	try {
		const latency = new LogHistogram();
		await addListeners(node, stage.roomId, joined, listeners, latency, ctx.shared);
		await sleep(1500);
		return await measure(
			'DTX',
			node,
			joined,
			latency,
			ctx.options.speakers,
			ctx.options.seconds,
			ctx.shared?.native
		);
	} finally {
		await closeStage(stage, joined);
		await ctx.procs.stop(node);
	}
}
