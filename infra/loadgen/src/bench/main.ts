// Capacity benchmark (`npm run bench`): the real API and SFU processes on loopback, sharing Postgres and
// Redis; speaker bots sending real Opus RTP (50 packets/s, SRTP) through plain send transports; listener
// bots that each hold a real signalling WebSocket and a PlainTransport SRTP sink. The phases, in order:
// the one-worker ramp, moderation fan-out, muted speakers, the WebRTC realism check (phases/*.ts), then
// the same top load on two workers (pipeToRouter), on two nodes (a relay), and DTX speakers; last the
// best step's load on the floor forwarder and on Janus (phases/floor.ts, phases/janus.ts). With
// `--pin auto` the generator and each worker run on cores of their own (cpus.ts). Tables on
// stderr; the JSON summary is the last stdout line. Options: cli.ts.
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { createBus, createTestDatabase } from '@majlis/server-kit';
import { loadOpusPackets } from '../opusPackets.js';
import { LogHistogram } from '../stats.js';
import { parseBenchArgs } from './cli.js';
import { planCpus } from './cpus.js';
import type { BenchContext } from './context.js';
import { dtxPhase } from './phases/dtx.js';
import { type FloorPhase, floorPhase } from './phases/floor.js';
import { type JanusPhase, janusPhase } from './phases/janus.js';
import { moderationPhase } from './phases/moderation.js';
import { mutedPhase } from './phases/muted.js';
import { pipePhase } from './phases/pipe.js';
import { type LiveRoom, rampPhase } from './phases/ramp.js';
import { type Realism, realismPhase } from './phases/realism.js';
import { type RelayPhase, relayPhase } from './phases/relay.js';
import { Supervisor } from './processes.js';
import { PROBE_EVERY, startSharedSinks, stopSharedSinks } from './sinks.js';
import { bestStep, out, report, topStep } from './report.js';
import { closeStage, openStage, rest } from './stage.js';

async function main(): Promise<void> {
	const startedAt = Date.now();
	const options = parseBenchArgs(process.argv.slice(2));
	const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
	const bus = createBus(redisUrl);
	try {
		await bus.set('majlis:bench:ping', '1', 1000);
	} catch {
		throw new Error(
			`the benchmark runs the API and SFU as separate processes and needs Redis: none at ${redisUrl} (set REDIS_URL)`
		);
	}
	// A fresh database on DATABASE_URL's server, else an embedded PGlite the API process connects to.
	const db = await createTestDatabase();
	const cpuPlan = planCpus(options.pin);
	const procs = new Supervisor(cpuPlan);
	// Started after the pinning, so the native sink runs on the generator's core.
	const shared = await startSharedSinks(options.sink);
	try {
		const packets = await loadOpusPackets();
		const api = await procs.startApi(db.url, redisUrl);
		const host = await rest<{ token: string }>(api.httpUrl, 'POST', '/api/auth/signup', undefined, {
			handle: `host_${randomUUID().slice(0, 6)}`,
			displayName: 'Bench host',
			password: 'correct horse battery staple',
		});
		out(`# machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
		out(
			cpuPlan
				? `# cores: generator, API and SFU Node processes on ${cpuPlan.generator}, workers on ${cpuPlan.workers} (then shared)`
				: '# cores: not pinned'
		);
		const ctx: BenchContext = {
			options,
			apiUrl: api.httpUrl,
			redisUrl,
			bus,
			packets,
			hostToken: host.token,
			procs,
			shared,
		};
		out(
			shared
				? `# sinks: native (${shared.native.ports.length} sockets), a Node sink every ${PROBE_EVERY}th listener`
				: '# sinks: Node'
		);

		// One worker (one core): the ramp and the phases that reuse its room and listeners.
		const node = await procs.startNode(api.httpUrl, redisUrl, { MEDIASOUP_NUM_WORKERS: '1' });
		const room: LiveRoom = {
			node,
			stage: await openStage(ctx, node, false),
			listeners: [],
			latency: new LogHistogram(),
		};
		const ramp = await rampPhase(ctx, room);
		const moderation = await moderationPhase(ctx, room);
		const muted = await mutedPhase(ctx, room);
		let realism: Realism | undefined;
		if (options.webrtc > 0) {
			realism = await realismPhase(ctx, room, ramp);
			out(`webrtc realism: ${JSON.stringify(realism.row)}`);
		}
		await closeStage(room.stage, room.listeners);
		await procs.stop(node);

		// The top step's load on two workers, then on two nodes, then DTX speakers.
		const top = topStep(ramp);
		const pipe = await pipePhase(ctx, top.listeners);
		// A failed relay phase is reported, not fatal: the summary does not depend on it.
		out(`# phase R: 2 nodes (origin + relay, 1 worker each), ${top.listeners} listeners`);
		let relay: RelayPhase | undefined;
		try {
			relay = await relayPhase(ctx, top.listeners);
			out(`relay: ${JSON.stringify(relay.row)}`);
		} catch (error) {
			out(`# relay phase: failed: ${error instanceof Error ? error.message : String(error)}`);
		}
		const dtx = await dtxPhase(ctx, ramp.rows[0]!.listeners);

		// The best step's load on the floor (infra/bench/floor.c) and on Janus, each on a worker's core; a
		// failure is reported, not fatal (their summary fields are then null).
		const peers = bestStep(ramp).listeners;
		let floor: FloorPhase | undefined;
		let janus: JanusPhase | undefined;
		try {
			floor = await floorPhase(ctx, peers);
		} catch (error) {
			out(`# floor phase: failed: ${error instanceof Error ? error.message : String(error)}`);
		}
		try {
			janus = await janusPhase(ctx, peers);
		} catch (error) {
			out(`# janus phase: failed: ${error instanceof Error ? error.message : String(error)}`);
		}

		report({
			options,
			ramp,
			moderation,
			muted,
			realism,
			pipe,
			relay,
			dtx,
			floor: floor && { usPerPacket: floor.floorUsPerPacket },
			janus: janus && { usPerPacket: janus.videoroom.usPerPacket },
			startedAt,
		});
	} finally {
		await procs.stopAll();
		await stopSharedSinks(shared);
		await bus.close();
		await db.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		out(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
		process.exit(1);
	}
);
