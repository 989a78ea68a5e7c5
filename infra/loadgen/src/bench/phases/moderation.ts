// Moderation fan-out: the host mutes a speaker; the time until every listener socket got
// `speaker:muted`. The media listeners' sockets plus signalling-only ones, up to `options.moderation`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SignallingClient } from '../../SignallingClient.js';
import { identity, inBatches, startSocketOnly, ticketFor } from '../bots.js';
import type { BenchContext } from '../context.js';
import { out } from '../output.js';
import type { Stage } from '../stage.js';
import type { LiveRoom } from './ramp.js';

const ROUNDS = 5;

/** Receipt times (ms) of every socket over the rounds, and how many sockets took part. */
export type Moderation = { samplesMs: number[]; sockets: number; rounds: number };

/** Connects the extra sockets, runs the rounds, disconnects the extra sockets. */
export async function moderationPhase(ctx: BenchContext, room: LiveRoom): Promise<Moderation> {
	const { node, stage, listeners } = room;
	const extra = await inBatches(Math.max(0, ctx.options.moderation - listeners.length), 25, async () =>
		startSocketOnly(node.url, await ticketFor(identity('listener'), stage.roomId, node.nodeId, false))
	);
	const sockets = [...listeners, ...extra.map((client) => ({ client }))];
	out(`# moderation: ${sockets.length} sockets connected`);
	// Like the reactions phase: the SFU's Node process fans the notice out; it runs beside the worker,
	// not queued behind the generator's 1,000 sockets.
	const restore = ctx.procs.measureSignalling(node);
	const samplesMs = await rounds(stage, sockets, ROUNDS).finally(restore);
	await Promise.all(extra.map((c) => c.close().catch(() => undefined)));
	return { samplesMs, sockets: sockets.length, rounds: ROUNDS };
}

async function rounds(
	stage: Stage,
	listeners: readonly { client: SignallingClient }[],
	count: number
): Promise<number[]> {
	const samples: number[] = [];
	const target = stage.speakers[0]!;
	for (let round = 0; round < count; round++) {
		let sentAt = 0;
		let pending = listeners.length;
		const done = new Promise<void>((resolve) => {
			for (const l of listeners) {
				const previous = l.client.onNotification;
				l.client.onNotification = (type, data) => {
					previous(type, data);
					if (type === 'speaker:muted' && data.userId === target.who.id) {
						samples.push(performance.now() - sentAt);
						l.client.onNotification = previous;
						if (--pending === 0) {
							resolve();
						}
					}
				};
			}
		});
		sentAt = performance.now();
		await stage.host.request('speaker:mute', { userId: target.who.id });
		await Promise.race([done, sleep(10_000)]);
		out(`# moderation round ${round + 1}: ${listeners.length - pending} of ${listeners.length} sockets told`);
		await target.client.request('mic:unmute', {});
		await sleep(300);
	}
	return samples;
}
