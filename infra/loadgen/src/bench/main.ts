// Capacity benchmark (`npm run bench`): the real API and SFU processes on loopback, sharing Postgres and
// Redis; speaker bots sending real Opus RTP (50 packets/s, SRTP) through plain send transports; listener
// bots that each hold a real signalling WebSocket and a PlainTransport SRTP consumer. The phases, in
// order: the one-worker ramp, moderation fan-out, muted speakers, the WebRTC realism check (phases/*.ts),
// then the same top load on two workers (pipeToRouter), on two nodes (a relay), and DTX speakers; last the
// best step's load on the floor forwarder and on Janus (phases/floor.ts, phases/janus.ts). With
// `--pin auto` the generator and each worker run on cores of their own (cpus.ts). Tables on stderr; the
// JSON summary is the last stdout line. Options: cli.ts; setup and teardown: run.ts.
import { loadavg } from 'node:os';
import { LogHistogram } from '../stats.js';
import { parseBenchArgs } from './cli.js';
import type { BenchContext } from './context.js';
import { out } from './output.js';
import { dtxPhase } from './phases/dtx.js';
import { floorPhase } from './phases/floor.js';
import { janusPhase } from './phases/janus.js';
import { moderationPhase } from './phases/moderation.js';
import { mutedPhase } from './phases/muted.js';
import { pipePhase } from './phases/pipe.js';
import { type LiveRoom, rampPhase } from './phases/ramp.js';
import { reactionsPhase } from './phases/reactions.js';
import { realismPhase } from './phases/realism.js';
import { recordingPhase } from './phases/recording.js';
import { relayPhase } from './phases/relay.js';
import { bestStep, report, topStep } from './report.js';
import { optional, withRun } from './run.js';
import { closeStage, openStage } from './stage.js';

// `--only reactions`: the reactions phase alone, in a room of its own on a one-worker node; its result
// is the JSON line (the full run's other phases would take most of an hour for a figure they do not touch).
async function reactionsOnly(ctx: BenchContext): Promise<void> {
	const node = await ctx.procs.startNode(ctx.apiUrl, ctx.redisUrl, { MEDIASOUP_NUM_WORKERS: '1' });
	const stage = await openStage(ctx, node, false);
	const room: LiveRoom = { node, stage, listeners: [], latency: new LogHistogram() };
	const result = await reactionsPhase(ctx, room);
	await closeStage(room.stage, room.listeners);
	await ctx.procs.stop(node);
	out(
		`# load average: ${loadavg()
			.map((n) => n.toFixed(2))
			.join(' ')}`
	);
	process.stdout.write(`${JSON.stringify({ reactions: result })}\n`);
}

async function phases(ctx: BenchContext, startedAt: number): Promise<void> {
	const { options, procs } = ctx;
	if (options.only === 'reactions') {
		await reactionsOnly(ctx);

		return;
	}
	// One worker (one core): the ramp and the phases that reuse its room and listeners.
	const node = await procs.startNode(ctx.apiUrl, ctx.redisUrl, { MEDIASOUP_NUM_WORKERS: '1' });
	const stage = await openStage(ctx, node, false);
	const room: LiveRoom = { node, stage, listeners: [], latency: new LogHistogram() };
	const ramp = await rampPhase(ctx, room);
	const moderation = await moderationPhase(ctx, room);
	await optional('reactions', () => reactionsPhase(ctx, room));
	const muted = await mutedPhase(ctx, room);
	const realism = options.webrtc > 0 ? await realismPhase(ctx, room, ramp) : undefined;
	if (realism) {
		out(`webrtc realism: ${JSON.stringify(realism.row)}`);
	}
	await closeStage(room.stage, room.listeners);
	await procs.stop(node);

	// The top step's load on two workers, then on two nodes, then DTX speakers.
	const top = topStep(ramp);
	const pipe = await pipePhase(ctx, top.listeners);
	out(`# phase R: 2 nodes (origin + relay, 1 worker each), ${top.listeners} listeners`);
	const relay = await optional('relay', () => relayPhase(ctx, top.listeners));
	if (relay) {
		out(`relay: ${JSON.stringify(relay.row)}`);
	}
	const dtx = await dtxPhase(ctx, ramp.rows[0]!.listeners);
	if (options.recordingListeners > 0) {
		await optional('recording', () => recordingPhase(ctx, options.recordingListeners));
	}

	// The best step's load on the floor (infra/bench/floor.c) and on Janus, each on a worker's core.
	const peers = bestStep(ramp).listeners;
	const floor = await optional('floor', () => floorPhase(ctx, peers));
	const janus = await optional('janus', () => janusPhase(ctx, peers));

	report({
		options,
		ramp,
		moderation,
		muted,
		realism,
		pipe,
		relay,
		dtx,
		floor: floor && {
			usPerPacket: floor.floorUsPerPacket,
			unbatchedUsPerPacket: floor.unbatched.usPerPacket,
		},
		janus: janus && { usPerPacket: janus.videoroom.usPerPacket },
		startedAt,
	});
}

const startedAt = Date.now();
const options = parseBenchArgs(process.argv.slice(2));
withRun(options, async (ctx) => {
	if (options.only === 'recording') {
		// The recording phase alone; its summary is the last stdout line.
		const phase = await recordingPhase(ctx, options.recordingListeners);
		process.stdout.write(`${JSON.stringify({ ...phase, rows: undefined })}\n`);
		return;
	}
	await phases(ctx, startedAt);
}).then(
	() => process.exit(0),
	(error: unknown) => {
		out(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
		process.exit(1);
	}
);
