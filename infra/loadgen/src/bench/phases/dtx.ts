// Phase C: Opus DTX speakers (the speech signal has pauses): what reaches the listeners against the
// packets a stage without DTX sends, on a one-worker node with as many listeners as a ramp step, so the
// row compares with that step's (packets and the worker's CPU).
import type { BenchContext } from '../context.js';
import type { Row } from '../measure.js';
import { onFreshStage } from '../stage.js';

/** One window with `listeners` listeners of DTX speakers on a fresh one-worker node. */
export function dtxPhase(ctx: BenchContext, listeners: number): Promise<Row> {
	return onFreshStage(ctx, { MEDIASOUP_NUM_WORKERS: '1' }, listeners, { dtx: true }, ({ window }) =>
		window('DTX')
	);
}
