// Muted speakers: everyone muted by the host → nothing on the wire. Unmutes them again afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from '../context.js';
import { measure, type Row } from '../measure.js';
import type { LiveRoom } from './ramp.js';

/** One 2 s window with the whole stage muted (expected: 0 packets/s). */
export async function mutedPhase(ctx: BenchContext, room: LiveRoom): Promise<Row> {
	const { node, stage, listeners, latency } = room;
	await stage.host.request('speaker:muteAll', {});
	await sleep(500);
	const row = await measure('all muted', node, listeners, latency, 0, 2, ctx.shared?.native);
	for (const s of stage.speakers) {
		await s.client.request('mic:unmute', {});
	}
	return row;
}
