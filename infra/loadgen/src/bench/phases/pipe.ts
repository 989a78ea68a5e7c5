// Phase B: the ramp's top load on one node of two workers; half the listeners on an edge router fed
// through pipeToRouter (the per-worker consumer cap set to half the room's consumers).
import type { BenchContext } from '../context.js';
import type { Row } from '../measure.js';
import { out } from '../output.js';
import { onFreshStage } from '../stage.js';

/** Settings of a two-worker node whose room of `listeners` splits across both workers. */
export function twoWorkerEnv(ctx: BenchContext, listeners: number): Record<string, string> {
	return {
		MEDIASOUP_NUM_WORKERS: '2',
		MEDIASOUP_MAX_CONSUMERS_PER_WORKER: String(Math.ceil((listeners * ctx.options.speakers) / 2)),
	};
}

/** One window with `listeners` on a fresh two-worker node, which stops afterwards. */
export async function pipePhase(ctx: BenchContext, listeners: number): Promise<Row> {
	out(`# phase B: 2 workers, ${listeners} listeners`);
	return onFreshStage(ctx, twoWorkerEnv(ctx, listeners), listeners, {}, async ({ joined, window }) => {
		const row = await window('2 workers (pipe)');
		const streams = new Map<number, number>();
		for (const l of joined.filter((j) => j.sink)) {
			const n = l.sink!.totals().packets > 0 ? l.sink!.streams.size : 0;
			streams.set(n, (streams.get(n) ?? 0) + 1);
		}
		out(
			`# pipe phase: listeners with a sink of their own by streams received ${JSON.stringify(Object.fromEntries(streams))}`
		);
		return row;
	});
}
