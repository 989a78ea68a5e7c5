// A live room under load: the host (real signup, room and join through the API), speaker bots on one
// node, and the plain listener bots that join it.
import { setTimeout as sleep } from 'node:timers/promises';
import { roomNodeKey } from '@majlis/protocol';
import { Pacer } from '../Pacer.js';
import { rest } from '../rest.js';
import { SignallingClient } from '../SignallingClient.js';
import { LogHistogram } from '../stats.js';
import {
	identity,
	inBatches,
	type Listener,
	type Speaker,
	startListener,
	startSpeaker,
	stopListener,
	ticketFor,
} from './bots.js';
import type { BenchContext } from './context.js';
import { measure, type Row } from './measure.js';
import type { BenchNode } from './processes.js';
import type { SharedSinks } from './sinks.js';

/** A room's host socket, its speakers and the pacer that drives them. */
export type Stage = {
	roomId: string;
	host: SignallingClient;
	speakers: Speaker[];
	pacer: Pacer;
	/** Ends the room through the API (a host has one live room at a time: the next phase opens another). */
	end: () => Promise<void>;
};

/**
 * Schedules and starts a room on `node`, joins its host and `options.speakers` speakers (DTX or not);
 * `recorded` schedules it with recording allowed (the recording phase).
 */
export async function openStage(
	ctx: BenchContext,
	node: BenchNode,
	dtx: boolean,
	settings: { recorded?: boolean } = {}
): Promise<Stage> {
	const { apiUrl, hostToken } = ctx;
	const room = await rest<{ id: string }>(apiUrl, 'POST', '/api/rooms', hostToken, {
		title: 'Bench room',
		visibility: 'public',
	});
	if (settings.recorded) {
		await rest(apiUrl, 'PUT', `/api/rooms/${room.id}/recordings/setting`, hostToken, { enabled: true });
	}
	await rest(apiUrl, 'POST', `/api/rooms/${room.id}/start`, hostToken);
	// Pin the room to the benchmark's node (other SFU nodes may share this Redis).
	await ctx.bus.set(roomNodeKey(room.id), node.nodeId);
	const join = await rest<{ signallingUrl: string; ticket: string }>(
		apiUrl,
		'POST',
		`/api/rooms/${room.id}/join`,
		hostToken
	);
	const host = await SignallingClient.connect(join.signallingUrl);
	await host.join(join.ticket);
	const pacer = new Pacer({ stagger: ctx.options.speakerPhase === 'staggered' });
	const speakers: Speaker[] = [];
	for (let i = 0; i < ctx.options.speakers; i++) {
		const who = identity('speaker');
		const ticket = await ticketFor(who, room.id, node.nodeId, true);
		speakers.push(await startSpeaker(node.url, ticket, who, ctx.packets, i, pacer, dtx));
	}
	pacer.start();
	const end = () => rest<void>(apiUrl, 'POST', `/api/rooms/${room.id}/end`, hostToken);
	return { roomId: room.id, host, speakers, pacer, end };
}

/** Stops the speakers, closes every bot of the room and ends it. */
export async function closeStage(stage: Stage, listeners: readonly Listener[]): Promise<void> {
	stage.pacer.stop();
	await Promise.all(listeners.map(stopListener));
	for (const s of stage.speakers) {
		await s.client.close().catch(() => undefined);
		await s.rtp.close();
	}
	await stage.host.close().catch(() => undefined);
	await stage.end();
}

/** Joins plain listeners on `node`, 20 at a time, until `listeners` holds `count`; to `shared` if given. */
export async function addListeners(
	node: BenchNode,
	roomId: string,
	listeners: Listener[],
	count: number,
	latency: LogHistogram,
	shared?: SharedSinks
): Promise<void> {
	const first = listeners.length;
	const added = await inBatches(count - first, 20, async (i) => {
		const ticket = await ticketFor(identity('listener'), roomId, node.nodeId, false);
		return startListener(node.url, ticket, latency, shared?.portFor(first + i));
	});
	listeners.push(...added);
}

/** A settled stage on a node of its own, as {@link onFreshStage} hands it over. */
export type FreshStage = {
	node: BenchNode;
	stage: Stage;
	/** The plain listeners joined to it. */
	joined: Listener[];
	/** Measures one window of the room as `label`. */
	window(label: string): Promise<Row>;
};

/**
 * Starts a node with `env`, opens a stage on it (`dtx` speakers or not, see {@link openStage}), joins
 * `listeners` plain listeners and lets them settle; runs `body`, then closes the stage and stops the node.
 */
export async function onFreshStage<T>(
	ctx: BenchContext,
	env: Record<string, string>,
	listeners: number,
	options: { dtx?: boolean; recorded?: boolean },
	body: (fresh: FreshStage) => Promise<T>
): Promise<T> {
	const node = await ctx.procs.startNode(ctx.apiUrl, ctx.redisUrl, env);
	const stage = await openStage(ctx, node, options.dtx ?? false, { recorded: options.recorded ?? false });
	const joined: Listener[] = [];
	try {
		const latency = new LogHistogram();
		await addListeners(node, stage.roomId, joined, listeners, latency, ctx.shared);
		await sleep(1500);
		const window = (label: string) =>
			measure(label, node, joined, latency, ctx.options.speakers, ctx.options.seconds, ctx.shared?.native);
		return await body({ node, stage, joined, window });
	} finally {
		await closeStage(stage, joined);
		await ctx.procs.stop(node);
	}
}
