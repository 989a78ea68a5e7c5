// Phase C: Opus DTX speakers (the speech signal has pauses): what reaches the listeners against the
// packets a stage without DTX sends, on a two-worker node like the pipe phase's.
import { setTimeout as sleep } from 'node:timers/promises';
import { LogHistogram } from '../../stats.js';
import type { Listener } from '../bots.js';
import type { BenchContext } from '../context.js';
import { measure, type Row } from '../measure.js';
import { addListeners, closeStage, openStage } from '../stage.js';
import { twoWorkerEnv } from './pipe.js';

/** One window with up to 100 listeners of DTX speakers; `topListeners` sizes the node as the pipe phase. */
export async function dtxPhase(ctx: BenchContext, topListeners: number): Promise<Row> {
	const node = await ctx.procs.startNode(ctx.apiUrl, ctx.redisUrl, twoWorkerEnv(ctx, topListeners));
	const stage = await openStage(ctx, node, true);
	const joined: Listener[] = [];
	try {
		const latency = new LogHistogram();
		await addListeners(node, stage.roomId, joined, Math.min(100, topListeners), latency, ctx.shared);
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
