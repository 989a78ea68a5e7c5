// Reactions at scale: `SOCKETS` signalling sockets in the ramp's room each react once a second for
// `SECONDS`. The server gathers them per tick, so every socket must receive at most
// `MAX_MESSAGES_PER_SECOND` reaction messages in any second, and the time from a socket's send to the
// first tick it receives afterwards (which carries its reaction) must stay within `P99_GOAL_MS` at p99.
import { setTimeout as sleep } from 'node:timers/promises';
import { REACTIONS } from '@majlis/protocol';
import type { SignallingClient } from '../../SignallingClient.js';
import { percentile } from '../../stats.js';
import { identity, inBatches, startSocketOnly, ticketFor } from '../bots.js';
import type { BenchContext } from '../context.js';
import { out } from '../output.js';
import type { LiveRoom } from './ramp.js';

const SOCKETS = 1000;
const SECONDS = 10;
const MAX_MESSAGES_PER_SECOND = 5;
const P99_GOAL_MS = 300;

/** What the reactions phase measured, and whether it met its goals. */
export type Reactions = {
	sockets: number;
	seconds: number;
	/** The most reaction messages one socket received within one wall-clock second. */
	maxMessagesPerSecond: number;
	/** Send → receipt of the tick carrying it, over every reaction (ms). */
	p50Ms: number;
	p99Ms: number;
	/** Reactions refused (rate limit) or unanswered. */
	refused: number;
	metGoals: boolean;
};

/** Connects the sockets, has each react once a second, measures per-socket message rate and latency. */
export async function reactionsPhase(
	ctx: BenchContext,
	room: LiveRoom,
	sockets = SOCKETS
): Promise<Reactions> {
	const { node, stage } = room;
	const clients = await inBatches(sockets, 25, async () =>
		startSocketOnly(node.url, await ticketFor(identity('reactor'), stage.roomId, node.nodeId, false))
	);
	out(`# reactions: ${clients.length} sockets connected`);
	// The SFU's Node process gathers and fans out the reactions: measured on the worker's core, not
	// queued behind the 1,000 sockets of the generator on its core.
	const restore = ctx.procs.measureSignalling(node);
	const samples: number[] = [];
	let maxPerSecond = 0;
	let refused = 0;
	const stops = clients.map((client) =>
		watch(client, samples, (n) => (maxPerSecond = Math.max(maxPerSecond, n)))
	);
	const started = performance.now();
	// Each socket reacts once a second, spread over the second so that ticks carry a steady load.
	await Promise.all(
		clients.map(async (client, i) => {
			await sleep((i / clients.length) * 1000);
			for (let s = 0; s < SECONDS; s++) {
				const due = started + (i / clients.length) * 1000 + s * 1000;
				await sleep(Math.max(0, due - performance.now()));
				const at = performance.now();
				// Armed once the reply came: ticks before the reply were sent before this reaction counted.
				await client.request('reaction:send', { reaction: REACTIONS[(i + s) % REACTIONS.length]! }).then(
					() => sent.set(client, at),
					() => {
						refused += 1;
					}
				);
			}
		})
	);
	await sleep(1000);
	for (const stop of stops) {
		stop();
	}
	restore();
	await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
	const result: Reactions = {
		sockets: clients.length,
		seconds: SECONDS,
		maxMessagesPerSecond: maxPerSecond,
		p50Ms: Math.round(percentile(samples, 0.5) * 10) / 10,
		p99Ms: Math.round(percentile(samples, 0.99) * 10) / 10,
		refused,
		metGoals:
			maxPerSecond <= MAX_MESSAGES_PER_SECOND && percentile(samples, 0.99) <= P99_GOAL_MS && refused === 0,
	};
	out(`reactions: ${JSON.stringify(result)}`);

	return result;
}

// When each socket sent its last reaction, once the server accepted it and until a tick carries it back.
const sent = new WeakMap<SignallingClient, number>();

// Counts a socket's reaction messages per wall-clock second and samples the latency of its own reaction.
function watch(client: SignallingClient, samples: number[], onSecond: (count: number) => void): () => void {
	let second = Math.floor(performance.now() / 1000);
	let count = 0;

	return client.subscribe((type) => {
		if (type !== 'reactions') {
			return;
		}
		const now = performance.now();
		const current = Math.floor(now / 1000);
		if (current !== second) {
			second = current;
			count = 0;
		}
		count += 1;
		onSecond(count);
		const at = sent.get(client);
		if (at !== undefined) {
			samples.push(now - at);
			sent.delete(client);
		}
	});
}
