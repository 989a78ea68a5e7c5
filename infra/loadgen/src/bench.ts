// Capacity benchmark (`pnpm bench`): the real API and SFU processes on loopback, sharing Postgres and
// Redis; 4 speaker bots sending real Opus RTP (50 packets/s, SRTP) through plain send transports; listener
// bots that each hold a real signalling WebSocket and a PlainTransport SRTP sink created through
// `plain:create` (the SFU's own consumer path). Ramps listeners in steps and measures, per step, the
// mediasoup workers' CPU (/proc), forwarded packets/s, loss and added latency at the sinks; then
// join → first packet, moderation fan-out to every listener socket, muted speakers and DTX on the wire,
// memory per listener, scaling to a second worker through pipeToRouter, and one room across two nodes (a
// relay node fed by the origin through a PipeTransport link over the bus). A realism check adds real
// WebRTC listeners (werift: ICE, DTLS, SRTP) next to the plain ones at one step and compares what both
// receive. Prints tables and, as its last line, one JSON object.
//
//   pnpm bench [--steps 100,200,300] [--seconds 4] [--speakers 4] [--moderation 1000]
//              [--webrtc 30] [--webrtc-at 200] [--webrtc-seconds 10]
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { roomNodeKey } from '@majlis/protocol';
import { type Bus, createBus, createTestDatabase, createTokenService } from '@majlis/server-kit';
import { nowUs } from './clock.js';
import { loadOpusPackets, type OpusPacketList } from './opusPackets.js';
import { Pacer } from './Pacer.js';
import { LISTENER_RTP_CAPABILITIES, speakerRtpParameters } from './plainTransports.js';
import { addTotals, RtpSink, type RtpStreamStats, type SinkTotals } from './RtpSink.js';
import { RtpSpeaker } from './RtpSpeaker.js';
import { SignallingClient } from './SignallingClient.js';
import { createSrtpParameters } from './SrtpContext.js';
import { LogHistogram, lossPercent } from './stats.js';
import { WebRtcListener } from './WebRtcListener.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const JWT_SECRET = 'majlis-bench-secret-at-least-32-bytes-long';
const SUITE = 'AEAD_AES_128_GCM' as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (line = '') => process.stderr.write(`${line}\n`);

const { values: args } = parseArgs({
	options: {
		steps: { type: 'string', default: '100,200,300' },
		seconds: { type: 'string', default: '4' },
		speakers: { type: 'string', default: '4' },
		moderation: { type: 'string', default: '1000' },
		webrtc: { type: 'string', default: '30' },
		'webrtc-at': { type: 'string', default: '200' },
		'webrtc-seconds': { type: 'string', default: '10' },
	},
});
const STEPS = args.steps.split(',').map(Number);
const SECONDS = Number(args.seconds);
const SPEAKERS = Number(args.speakers);
const WEBRTC = Number(args.webrtc);
// The realism check runs at the end of phase A (after every figure of the JSON summary is taken) with the
// plain listeners of the largest step up to --webrtc-at (else the first step): a few hundred, but below
// the generator's saturation, so latency compares forwarding paths rather than run-queue waits.
const WEBRTC_STEP = STEPS.filter((n) => n <= Number(args['webrtc-at'])).at(-1) ?? STEPS[0]!;

// ─── Processes ───────────────────────────────────────────────────────────────

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	await new Promise((r) => server.close(r));
	return port;
}

function start(entry: string, env: Record<string, string>): ChildProcess {
	// The tsx CLI (not `node --import tsx`): @fastify/autoload only loads .ts plugins under tsx's runner.
	const child = spawn(join(root, 'node_modules/.bin/tsx'), [entry], {
		cwd: root,
		env: { ...process.env, LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	return child;
}

async function waitHttp(url: string, timeoutMs = 180_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		try {
			const r = await fetch(url);
			if (r.status < 500) {
				return;
			}
		} catch {
			// Not up yet.
		}
		if (Date.now() > until) {
			throw new Error(`${url} did not come up`);
		}
		await sleep(200);
	}
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) {
		return;
	}
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	await Promise.race([exited, sleep(8000).then(() => child.kill('SIGKILL'))]);
}

function children(pid: number): number[] {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
			.trim()
			.split(/\s+/)
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}

/** CPU ms (user+sys) of a process from /proc (synchronous, independent of any event loop). */
function cpuMs(pid: number): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return 0;
	}
}

function rssKB(pid: number): number {
	try {
		const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

type SfuProc = {
	child: ChildProcess;
	/** The Node process of the SFU (under the tsx runner). */
	pid: number;
	nodeId: string;
	url: string;
	http: string;
	workers: number[];
};

function descendants(pid: number): number[] {
	return children(pid).flatMap((c) => [c, ...descendants(c)]);
}

function comm(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return '';
	}
}

async function startSfu(apiUrl: string, redisUrl: string, env: Record<string, string>): Promise<SfuProc> {
	const port = await freePort();
	const nodeId = `bench-${randomUUID().slice(0, 8)}`;
	const child = start('services/sfu/src/main.ts', {
		SFU_NODE_ID: nodeId,
		SFU_PUBLIC_URL: `ws://127.0.0.1:${port}/ws`,
		PORT: String(port),
		HOST: '127.0.0.1',
		API_URL: apiUrl,
		REDIS_URL: redisUrl,
		JWT_SECRET,
		MEDIASOUP_LISTEN_IP: '127.0.0.1',
		SFU_ALLOW_PLAIN_TRANSPORTS: '1',
		...env,
	});
	const http = `http://127.0.0.1:${port}`;
	await waitHttp(`${http}/health`);
	const all = descendants(child.pid!);
	const workers = all.filter((p) => comm(p).startsWith('mediasoup'));
	const node = all.find((p) => children(p).some((c) => workers.includes(c))) ?? child.pid!;
	return { child, pid: node, nodeId, url: `ws://127.0.0.1:${port}/ws`, http, workers };
}

// ─── Bots ────────────────────────────────────────────────────────────────────

type Identity = { id: string; handle: string; name: string };

function identity(prefix: string): Identity {
	const id = randomUUID();
	return { id, handle: `${prefix}_${id.slice(0, 6)}`, name: `${prefix} ${id.slice(0, 4)}` };
}

const tokens = createTokenService(JWT_SECRET);

// `org`: the room's origin node when `node` relays it (what the API signs for a listener it places on a
// relay node because the origin is full).
function ticketFor(
	who: Identity,
	roomId: string,
	node: string,
	speakerGuest: boolean,
	org?: string
): Promise<string> {
	return tokens.signTicket({
		sub: who.id,
		rid: roomId,
		role: 'listener',
		hdl: who.handle,
		name: who.name,
		sg: speakerGuest,
		node,
		...(org === undefined ? {} : { org }),
	} as Parameters<typeof tokens.signTicket>[0]);
}

type Speaker = { who: Identity; client: SignallingClient; rtp: RtpSpeaker };

async function startSpeaker(
	url: string,
	ticket: string,
	who: Identity,
	packets: OpusPacketList,
	index: number,
	pacer: Pacer,
	dtx: boolean
): Promise<Speaker> {
	const client = await SignallingClient.connect(url);
	await client.join(ticket);
	// A speaker guest comes up directly (the same request a browser sends).
	await client.request('stage:accept', {});
	const srtp = createSrtpParameters(SUITE);
	const rtp = await RtpSpeaker.create({ packets, ssrc: 0x1000 + index, srtp, dtx, startFrame: index * 97 });
	const plain = await client.request('plain:create', { direction: 'send', srtp });
	await client.request('produce', {
		transportId: plain.transportId,
		kind: 'audio',
		rtpParameters: speakerRtpParameters(rtp, `bench-${index}`),
	});
	await client.request('mic:unmute', {});
	rtp.connect(plain.local.ip, plain.local.port);
	pacer.add(rtp);
	return { who, client, rtp };
}

type Listener = { client: SignallingClient; sink: RtpSink; joinStartUs: number };

async function startListener(url: string, ticket: string, latency: LogHistogram): Promise<Listener> {
	const joinStartUs = nowUs();
	const client = await SignallingClient.connect(url);
	client.onNotification = (type, data) => {
		if (type === 'consumer:new') {
			void client.request('consumer:resume', { consumerId: String(data.consumerId) }).catch(() => undefined);
		}
	};
	await client.join(ticket);
	// SRTP leaves the RTP header (sequence number, abs-capture-time) in clear: the sinks count and time
	// packets without decrypting them (the loadgen forwarding test proves the keys interoperate), which
	// keeps the generator's CPU for receiving.
	const sink = await RtpSink.create({ latency, verifyEvery: 0 });
	await client.request('plain:create', {
		direction: 'recv',
		remote: { ip: '127.0.0.1', port: sink.port },
		srtp: createSrtpParameters(SUITE),
	});
	await client.request('consume:start', { rtpCapabilities: { ...LISTENER_RTP_CAPABILITIES } });
	return { client, sink, joinStartUs };
}

// ─── Measurement ─────────────────────────────────────────────────────────────

type Row = {
	phase: string;
	workers: number;
	listeners: number;
	forwardedPps: number;
	expectedPps: number;
	workerCpuPct: number;
	sfuNodeCpuPct: number;
	generatorCpuPct: number;
	lossPct: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	rssMB: number;
};

/** A plain listener (its sink) or a WebRTC one. */
type Receiver = Listener | WebRtcListener;

function totalsOf(listeners: readonly Receiver[]): SinkTotals {
	const sum: SinkTotals = { packets: 0, bytes: 0, expected: 0, lost: 0, duplicates: 0, authFailures: 0 };
	for (const l of listeners) {
		addTotals(sum, 'sink' in l ? l.sink.totals() : l.totals());
	}
	return sum;
}

function workersRssKB(sfu: SfuProc): number {
	return sfu.workers.reduce((n, p) => n + rssKB(p), 0);
}

function sfuRssKB(sfu: SfuProc): number {
	return rssKB(sfu.pid) + workersRssKB(sfu);
}

async function measure(
	phase: string,
	sfuOrNodes: SfuProc | readonly SfuProc[],
	listeners: readonly Receiver[],
	latencies: LogHistogram | readonly LogHistogram[],
	speakers: number,
	seconds: number
): Promise<Row> {
	const histograms = Array.isArray(latencies) ? latencies : [latencies];
	// Several nodes (the relay phase): workers, Node processes and memory are summed over them.
	const nodes: readonly SfuProc[] = Array.isArray(sfuOrNodes) ? sfuOrNodes : [sfuOrNodes];
	const workers = nodes.flatMap((n) => n.workers);
	const nodeCpuMs = () => nodes.reduce((s, n) => s + cpuMs(n.pid), 0);
	const a = totalsOf(listeners);
	for (const h of histograms) {
		h.reset();
	}
	const w0 = workers.map(cpuMs);
	const n0 = nodeCpuMs();
	const g0 = process.cpuUsage();
	const t0 = performance.now();
	await sleep(seconds * 1000);
	const dt = (performance.now() - t0) / 1000;
	const b = totalsOf(listeners);
	const g = process.cpuUsage(g0);
	const workerCpu = workers.map(cpuMs).reduce((s, v, i) => s + v - w0[i]!, 0);
	const latency = new LogHistogram();
	for (const h of histograms) {
		latency.merge(h);
	}
	return {
		phase,
		workers: workers.length,
		listeners: listeners.length,
		forwardedPps: Math.round((b.packets - a.packets) / dt),
		expectedPps: speakers * 50 * listeners.length,
		workerCpuPct: Math.round(workerCpu / (dt * 10)),
		sfuNodeCpuPct: Math.round((nodeCpuMs() - n0) / (dt * 10)),
		generatorCpuPct: Math.round((g.user + g.system) / (dt * 1e4)),
		lossPct: Number(lossPercent(b.lost - a.lost, b.expected - a.expected).toFixed(4)),
		latencyP50Ms: Number((latency.valueAt(0.5) / 1000).toFixed(2)),
		latencyP99Ms: Number((latency.valueAt(0.99) / 1000).toFixed(2)),
		rssMB: Math.round(nodes.reduce((s, n) => s + sfuRssKB(n), 0) / 1024),
	};
}

function percentile(values: number[], q: number): number {
	if (values.length === 0) {
		return 0;
	}
	const sorted = [...values].sort((x, y) => x - y);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function inBatches<T>(
	count: number,
	concurrency: number,
	make: (i: number) => Promise<T>
): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) {
				const i = next++;
				results[i] = await make(i);
			}
		})
	);
	return results;
}

// ─── REST ────────────────────────────────────────────────────────────────────

async function rest<T>(
	apiUrl: string,
	method: string,
	path: string,
	token?: string,
	body?: unknown
): Promise<T> {
	const r = await fetch(`${apiUrl}${path}`, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!r.ok) {
		throw new Error(`${method} ${path} → ${r.status} ${await r.text()}`);
	}
	const text = await r.text();
	return (text ? JSON.parse(text) : undefined) as T;
}

type Stage = {
	roomId: string;
	host: SignallingClient;
	speakers: Speaker[];
	pacer: Pacer;
};

/** Host (real signup, room and join through the API) and speaker bots on `sfu`. */
async function openStage(
	apiUrl: string,
	bus: Bus,
	sfu: SfuProc,
	packets: OpusPacketList,
	hostToken: string,
	dtx: boolean
): Promise<Stage> {
	const room = await rest<{ id: string }>(apiUrl, 'POST', '/api/rooms', hostToken, {
		title: 'Bench room',
		visibility: 'public',
	});
	await rest(apiUrl, 'POST', `/api/rooms/${room.id}/start`, hostToken);
	// Pin the room to the benchmark's node (other SFU nodes may share this Redis).
	await bus.set(roomNodeKey(room.id), sfu.nodeId);
	const join = await rest<{ signallingUrl: string; ticket: string }>(
		apiUrl,
		'POST',
		`/api/rooms/${room.id}/join`,
		hostToken
	);
	const host = await SignallingClient.connect(join.signallingUrl);
	await host.join(join.ticket);
	const pacer = new Pacer();
	const speakers: Speaker[] = [];
	for (let i = 0; i < SPEAKERS; i++) {
		const who = identity('speaker');
		const ticket = await ticketFor(who, room.id, sfu.nodeId, true);
		speakers.push(await startSpeaker(sfu.url, ticket, who, packets, i, pacer, dtx));
	}
	pacer.start();
	return { roomId: room.id, host, speakers, pacer };
}

async function closeStage(stage: Stage, listeners: Listener[]): Promise<void> {
	stage.pacer.stop();
	await Promise.all(
		listeners.map(async (l) => {
			await l.client.close().catch(() => undefined);
			await l.sink.close();
		})
	);
	for (const s of stage.speakers) {
		await s.client.close().catch(() => undefined);
		await s.rtp.close();
	}
	await stage.host.close().catch(() => undefined);
}

async function addListeners(
	sfu: SfuProc,
	roomId: string,
	listeners: Listener[],
	count: number,
	latency: LogHistogram
): Promise<void> {
	const added = await inBatches(count - listeners.length, 20, async () => {
		const ticket = await ticketFor(identity('listener'), roomId, sfu.nodeId, false);
		return startListener(sfu.url, ticket, latency);
	});
	listeners.push(...added);
}

function joinTimesMs(listeners: readonly Listener[]): number[] {
	const times: number[] = [];
	for (const l of listeners) {
		let first = Number.POSITIVE_INFINITY;
		for (const s of l.sink.streams.values()) {
			first = Math.min(first, s.firstPacketUs);
		}
		if (Number.isFinite(first)) {
			times.push((first - l.joinStartUs) / 1000);
		}
	}
	return times;
}

/** A listener that only holds a signalling socket (no media): for the moderation fan-out at 1,000. */
async function startSocketOnly(url: string, ticket: string): Promise<SignallingClient> {
	const client = await SignallingClient.connect(url);
	await client.join(ticket);
	return client;
}

/** Host mutes a speaker; time until every listener socket got `speaker:muted`. Repeated `rounds` times. */
async function moderation(
	stage: Stage,
	listeners: readonly { client: SignallingClient }[],
	rounds: number
): Promise<number[]> {
	const samples: number[] = [];
	const target = stage.speakers[0]!;
	for (let round = 0; round < rounds; round++) {
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
		await target.client.request('mic:unmute', {});
		await sleep(300);
	}
	return samples;
}

// ─── Realism: WebRTC listeners ───────────────────────────────────────────────

/** What one kind of listener received in a measured window (realism check, relay phase). */
type KindFigures = {
	kind: 'plain' | 'webrtc' | 'origin' | 'relay';
	listeners: number;
	/** Packets/s per listener, mean and lowest (4 speakers: 200 expected). */
	ppsEach: number;
	minPpsEach: number;
	lossPct: number;
	/** Join → first packet of the listeners that joined in this phase (both kinds side by side). */
	joins: number;
	joinP50Ms: number;
	joinP95Ms: number;
	/** Receive time − abs-capture-time send time (same host clock). */
	latencyP50Ms: number;
	latencyP99Ms: number;
	/** RFC 3550 interarrival jitter at the end of the window, mean over streams. */
	jitterMs: number;
};

type Realism = { row: Row; plain: KindFigures; webrtc: KindFigures; failedJoins: number; joinWallS: number };

function streamsOf(l: Receiver): RtpStreamStats[] {
	return 'sink' in l ? [...l.sink.streams.values()] : [...l.streams.values()].map((s) => s.stats);
}

function firstPacketOf(l: Receiver): number {
	return 'sink' in l
		? Math.min(...[...l.sink.streams.values()].map((s) => s.firstPacketUs))
		: l.firstPacketUs;
}

function figures(
	kind: KindFigures['kind'],
	all: readonly Receiver[],
	joined: readonly Receiver[],
	before: ReadonlyMap<Receiver, SinkTotals>,
	dt: number,
	latency: LogHistogram
): KindFigures {
	const pps: number[] = [];
	let lost = 0;
	let expected = 0;
	for (const l of all) {
		const a = before.get(l)!;
		const b = totalsOf([l]);
		pps.push((b.packets - a.packets) / dt);
		lost += b.lost - a.lost;
		expected += b.expected - a.expected;
	}
	const joins = joined
		.map((l) => (firstPacketOf(l) - l.joinStartUs) / 1000)
		.filter((ms) => Number.isFinite(ms));
	const jitters = all.flatMap((l) => streamsOf(l).map((s) => s.jitter.ms));
	const mean = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
	return {
		kind,
		listeners: all.length,
		ppsEach: Number(mean(pps).toFixed(1)),
		minPpsEach: Number((pps.length ? Math.min(...pps) : 0).toFixed(1)),
		lossPct: Number(lossPercent(lost, expected).toFixed(4)),
		joins: joins.length,
		joinP50Ms: Number(percentile(joins, 0.5).toFixed(1)),
		joinP95Ms: Number(percentile(joins, 0.95).toFixed(1)),
		latencyP50Ms: Number((latency.valueAt(0.5) / 1000).toFixed(2)),
		latencyP99Ms: Number((latency.valueAt(0.99) / 1000).toFixed(2)),
		jitterMs: Number(mean(jitters).toFixed(2)),
	};
}

/**
 * The realism check: next to the step's plain listeners, `count` real WebRTC listeners (werift) join, each
 * alternating with a fresh plain one so both kinds' join → first packet is timed under the same load;
 * then one measured window over everyone. Both groups leave afterwards.
 */
async function realism(
	sfu: SfuProc,
	roomId: string,
	plain: readonly Listener[],
	plainLatency: LogHistogram,
	count: number,
	seconds: number
): Promise<Realism> {
	const webLatency = new LogHistogram();
	const web: WebRtcListener[] = [];
	const fresh: Listener[] = [];
	let failedJoins = 0;
	const t0 = performance.now();
	// A few at a time: each WebRTC join is an ECDSA key, a DTLS handshake and one renegotiation per speaker
	// in the generator's event loop, which also carries the plain sinks' RTP.
	await inBatches(2 * count, 4, async (i) => {
		const ticket = await ticketFor(identity('listener'), roomId, sfu.nodeId, false);
		try {
			if (i % 2 === 0) {
				web.push(await WebRtcListener.join({ url: sfu.url, ticket, latency: webLatency }));
			} else {
				fresh.push(await startListener(sfu.url, ticket, plainLatency));
			}
		} catch (error) {
			failedJoins++;
			out(`# webrtc realism: join failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	});
	const joinWallS = (performance.now() - t0) / 1000;
	// Settle: every WebRTC listener has negotiated all the speakers' consumers (or 10 s passed).
	const until = Date.now() + 10_000;
	while (Date.now() < until && web.some((l) => l.transport.consumers.size < SPEAKERS)) {
		await sleep(200);
	}
	await sleep(1500);
	const plainAll = [...plain, ...fresh];
	const everyone: Receiver[] = [...plainAll, ...web];
	const before = new Map(everyone.map((l) => [l, totalsOf([l])] as const));
	const t1 = performance.now();
	const row = await measure(
		`+${web.length} WebRTC`,
		sfu,
		everyone,
		[plainLatency, webLatency],
		SPEAKERS,
		seconds
	);
	const dt = (performance.now() - t1) / 1000;
	const result: Realism = {
		row,
		plain: figures('plain', plainAll, fresh, before, dt, plainLatency),
		webrtc: figures('webrtc', web, web, before, dt, webLatency),
		failedJoins,
		joinWallS: Number(joinWallS.toFixed(1)),
	};
	const errors = web.flatMap((l) => l.errors.map((e) => e.message));
	if (errors.length > 0) {
		out(`# webrtc realism: consumer errors ${JSON.stringify(errors.slice(0, 5))} (${errors.length})`);
	}
	await Promise.all([
		...web.map((l) => l.close()),
		...fresh.map(async (l) => {
			await l.client.close().catch(() => undefined);
			await l.sink.close();
		}),
	]);
	// Let the SFU close the departed listeners' transports before the next step.
	await sleep(1000);
	return result;
}

// ─── Relay: one room across two nodes ────────────────────────────────────────

type RelayPhase = {
	row: Row;
	origin: KindFigures;
	relay: KindFigures;
	/** Join → first packet of the first relay listener, whose join opens the relay and its link. */
	firstRelayJoinMs: number | null;
	/** Each node's worker CPU in the window (% of a core). */
	workerCpuPct: { origin: number; relay: number };
};

/**
 * One room across two SFU processes of one worker each: the stage on the origin, half of `count` plain
 * listeners there and half on a relay node, whose tickets name it as `node` and the origin as `org` (as
 * the API signs them when the origin is full). The first relay listener joins alone (it opens the relay's
 * PipeTransport link to the origin over the bus); the others join alternating origin and relay, so both
 * kinds' join → first packet is timed under the same load; then one measured window. Both nodes stop
 * afterwards.
 */
async function relayPhase(
	apiUrl: string,
	redisUrl: string,
	bus: Bus,
	packets: OpusPacketList,
	hostToken: string,
	count: number,
	procs: ChildProcess[]
): Promise<RelayPhase> {
	// Each node joins `procs` as soon as it is up, so main() stops it even if the other fails to start.
	const startNode = async () => {
		const node = await startSfu(apiUrl, redisUrl, { MEDIASOUP_NUM_WORKERS: '1' });
		procs.push(node.child);
		return node;
	};
	const nodes = await Promise.all([startNode(), startNode()]);
	const [origin, relay] = nodes as [SfuProc, SfuProc];
	const originLatency = new LogHistogram();
	const relayLatency = new LogHistogram();
	const onOrigin: Listener[] = [];
	const onRelay: Listener[] = [];
	let stage: Stage | undefined;
	try {
		stage = await openStage(apiUrl, bus, origin, packets, hostToken, false);
		const roomId = stage.roomId;
		const joinRelay = async () =>
			startListener(
				relay.url,
				await ticketFor(identity('listener'), roomId, relay.nodeId, false, origin.nodeId),
				relayLatency
			);
		const first = await joinRelay();
		onRelay.push(first);
		const until = Date.now() + 10_000;
		while (Date.now() < until && !Number.isFinite(firstPacketOf(first))) {
			await sleep(50);
		}
		const firstMs = (firstPacketOf(first) - first.joinStartUs) / 1000;
		await inBatches(count - 1, 20, async (i) => {
			if (i % 2 === 0) {
				const ticket = await ticketFor(identity('listener'), roomId, origin.nodeId, false);
				onOrigin.push(await startListener(origin.url, ticket, originLatency));
			} else {
				onRelay.push(await joinRelay());
			}
		});
		await sleep(1500);
		const everyone = [...onOrigin, ...onRelay];
		const before = new Map(everyone.map((l) => [l, totalsOf([l])] as const));
		const workerCpu = (n: SfuProc) => n.workers.reduce((s, p) => s + cpuMs(p), 0);
		const w0 = nodes.map(workerCpu);
		const t0 = performance.now();
		const row = await measure(
			'2 nodes (relay)',
			nodes,
			everyone,
			[originLatency, relayLatency],
			SPEAKERS,
			SECONDS
		);
		const dt = (performance.now() - t0) / 1000;
		const [originCpu, relayCpu] = nodes.map((n, i) => Math.round((workerCpu(n) - w0[i]!) / (dt * 10)));
		return {
			row,
			origin: figures('origin', onOrigin, onOrigin, before, dt, originLatency),
			relay: figures('relay', onRelay, onRelay.slice(1), before, dt, relayLatency),
			firstRelayJoinMs: Number.isFinite(firstMs) ? Number(firstMs.toFixed(1)) : null,
			workerCpuPct: { origin: originCpu!, relay: relayCpu! },
		};
	} finally {
		if (stage) {
			await closeStage(stage, [...onOrigin, ...onRelay]);
		}
		// The relay first: closing, it tells the origin its link is gone.
		await stop(relay.child);
		await stop(origin.child);
	}
}

// ─── Main ────────────────────────────────────────────────────────────────────

function table<T extends object>(rows: readonly T[]): void {
	const cols = Object.keys(rows[0] ?? {}) as (keyof T)[];
	const widths = cols.map((c) => Math.max(String(c).length, ...rows.map((r) => String(r[c]).length)));
	out(cols.map((c, i) => String(c).padStart(widths[i]!)).join('  '));
	for (const r of rows) {
		out(cols.map((c, i) => String(r[c]).padStart(widths[i]!)).join('  '));
	}
}

const passes = (r: Row) => r.lossPct <= 0.1 && r.latencyP99Ms <= 10;

async function main(): Promise<void> {
	const started = Date.now();
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
	const packets = await loadOpusPackets();
	const apiPort = await freePort();
	const apiUrl = `http://127.0.0.1:${apiPort}`;
	const api = start('services/api/src/server.ts', {
		PORT: String(apiPort),
		HOST: '127.0.0.1',
		DATABASE_URL: db.url,
		REDIS_URL: redisUrl,
		JWT_SECRET,
	});
	const procs: ChildProcess[] = [api];
	// Interrupted: do not leave the API and SFU processes behind.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			for (const p of procs) {
				p.kill('SIGTERM');
			}
			process.exit(130);
		});
	}
	const rows: Row[] = [];
	try {
		await waitHttp(`${apiUrl}/api/health`);
		const host = await rest<{ token: string }>(apiUrl, 'POST', '/api/auth/signup', undefined, {
			handle: `host_${randomUUID().slice(0, 6)}`,
			displayName: 'Bench host',
			password: 'correct horse battery staple',
		});
		out(`# machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);

		// Phase A: one worker (one core), listeners ramped in steps.
		const sfu1 = await startSfu(apiUrl, redisUrl, { MEDIASOUP_NUM_WORKERS: '1' });
		procs.push(sfu1.child);
		const latency = new LogHistogram();
		const stage = await openStage(apiUrl, bus, sfu1, packets, host.token, false);
		await sleep(1000);
		const baseWorkersKB = workersRssKB(sfu1);
		const baseNodeKB = rssKB(sfu1.pid);
		const listeners: Listener[] = [];
		for (const step of STEPS) {
			await addListeners(sfu1, stage.roomId, listeners, step, latency);
			await sleep(1500);
			const row = await measure('1 worker', sfu1, listeners, latency, SPEAKERS, SECONDS);
			rows.push(row);
			out(`step ${step}: ${JSON.stringify(row)}`);
		}
		const joins = joinTimesMs(listeners);
		// The worker's memory (C++: transports, consumers) grows steadily; the Node process's RSS moves with
		// V8's garbage collection and can even shrink, so its growth only counts when positive.
		const workerGrowthKB = workersRssKB(sfu1) - baseWorkersKB;
		const nodeGrowthKB = rssKB(sfu1.pid) - baseNodeKB;
		const memPerListenerKB = Math.round((workerGrowthKB + Math.max(0, nodeGrowthKB)) / listeners.length);
		out(
			`# memory: worker +${Math.round(workerGrowthKB / listeners.length)} KB/listener, Node process ${nodeGrowthKB >= 0 ? '+' : ''}${Math.round(nodeGrowthKB / listeners.length)} KB/listener (${listeners.length} listeners)`
		);

		// Moderation fan-out: the media listeners' sockets plus signalling-only ones, up to 1,000 sockets.
		const extra = await inBatches(Math.max(0, Number(args.moderation) - listeners.length), 25, async () =>
			startSocketOnly(sfu1.url, await ticketFor(identity('listener'), stage.roomId, sfu1.nodeId, false))
		);
		const sockets = [...listeners, ...extra.map((client) => ({ client }))];
		out(`# moderation: ${sockets.length} sockets connected`);
		const mod = await moderation(stage, sockets, 5);
		await Promise.all(extra.map((c) => c.close().catch(() => undefined)));

		// Muted speakers: everyone muted by the host → nothing on the wire.
		await stage.host.request('speaker:muteAll', {});
		await sleep(500);
		const muted = await measure('all muted', sfu1, listeners, latency, 0, 2);
		rows.push(muted);
		for (const s of stage.speakers) {
			await s.client.request('mic:unmute', {});
		}

		// Realism: real WebRTC listeners next to the plain ones (see realism()).
		let webrtc: Realism | undefined;
		if (WEBRTC > 0) {
			const leaving = listeners.splice(WEBRTC_STEP);
			await Promise.all(
				leaving.map(async (l) => {
					await l.client.close().catch(() => undefined);
					await l.sink.close();
				})
			);
			await sleep(1500);
			out(
				`# webrtc realism: ${listeners.length} plain listeners, ${WEBRTC} WebRTC and ${WEBRTC} plain joining alongside`
			);
			webrtc = await realism(sfu1, stage.roomId, listeners, latency, WEBRTC, Number(args['webrtc-seconds']));
			rows.push(webrtc.row);
			out(`webrtc realism: ${JSON.stringify(webrtc.row)}`);
		}
		await closeStage(stage, listeners);
		await stop(sfu1.child);

		// Phase B: the same top load on two workers; half the listeners on an edge router (pipeToRouter).
		// Compared at the step that forwarded the most (the most work the single worker did).
		const top = rows
			.filter((r) => r.phase === '1 worker')
			.reduce((a, b) => (b.forwardedPps > a.forwardedPps ? b : a));
		out(`# phase B: 2 workers, ${top.listeners} listeners`);
		const sfu2 = await startSfu(apiUrl, redisUrl, {
			MEDIASOUP_NUM_WORKERS: '2',
			MEDIASOUP_MAX_CONSUMERS_PER_WORKER: String(Math.ceil((top.listeners * SPEAKERS) / 2)),
		});
		procs.push(sfu2.child);
		const stage2 = await openStage(apiUrl, bus, sfu2, packets, host.token, false);
		const listeners2: Listener[] = [];
		await addListeners(sfu2, stage2.roomId, listeners2, top.listeners, latency);
		await sleep(1500);
		const piped = await measure('2 workers (pipe)', sfu2, listeners2, latency, SPEAKERS, SECONDS);
		rows.push(piped);
		const streams = new Map<number, number>();
		for (const l of listeners2) {
			const n = l.sink.totals().packets > 0 ? l.sink.streams.size : 0;
			streams.set(n, (streams.get(n) ?? 0) + 1);
		}
		out(`# pipe phase: listeners by streams received ${JSON.stringify(Object.fromEntries(streams))}`);
		await closeStage(stage2, listeners2);

		// Phase R: the same top load on one room across two nodes (one worker each), half the listeners on a
		// relay node fed by the origin through a PipeTransport link. A failure is reported, not fatal: the
		// summary does not depend on it.
		out(`# phase R: 2 nodes (origin + relay, 1 worker each), ${top.listeners} listeners`);
		let relay: RelayPhase | undefined;
		const relayStarted = Date.now();
		try {
			relay = await relayPhase(apiUrl, redisUrl, bus, packets, host.token, top.listeners, procs);
			rows.push(relay.row);
			out(`relay: ${JSON.stringify(relay.row)}`);
		} catch (error) {
			out(`# relay phase: failed: ${error instanceof Error ? error.message : String(error)}`);
		}
		const relayPhaseS = Math.round((Date.now() - relayStarted) / 1000);

		// Phase C: Opus DTX speakers (the speech signal has pauses), on the 2-worker node.
		const stage3 = await openStage(apiUrl, bus, sfu2, packets, host.token, true);
		const listeners3: Listener[] = [];
		await addListeners(sfu2, stage3.roomId, listeners3, Math.min(100, top.listeners), latency);
		await sleep(1500);
		const dtx = await measure('DTX', sfu2, listeners3, latency, SPEAKERS, SECONDS);
		rows.push(dtx);
		await closeStage(stage3, listeners3);
		await stop(sfu2.child);

		// Capacity per core: at the highest step within the loss/latency goals, forwarded packets per
		// second of worker CPU (the worker is one thread: 100 % = one core).
		const oneWorker = rows.filter((r) => r.phase === '1 worker');
		const best = [...oneWorker].reverse().find(passes) ?? oneWorker[0]!;
		const perCore = (r: Row) => (r.workerCpuPct > 0 ? (r.forwardedPps * 100) / r.workerCpuPct : 0);
		const pktPerSecPerCore = Math.round(perCore(best));
		const listenersPerCore = Math.round(pktPerSecPerCore / (SPEAKERS * 50));
		// Adding a worker: 2 workers carry 2 × (their per-core rate, pipes included); the added capacity as
		// a fraction of one worker's.
		const pipeScalingEfficiency = Number(((2 * perCore(piped) - perCore(top)) / perCore(top)).toFixed(3));

		out('');
		table(rows);
		out('');
		if (webrtc) {
			table([webrtc.plain, webrtc.webrtc]);
			out('');
		}
		if (relay) {
			table([relay.origin, relay.relay]);
			out('');
		}
		const summary = {
			listenersPerCore,
			pktPerSecPerCore,
			lossPct: best.lossPct,
			addedLatencyP99Ms: best.latencyP99Ms,
			joinP95Ms: Number(percentile(joins, 0.95).toFixed(1)),
			moderationP99Ms: Number(percentile(mod, 0.99).toFixed(1)),
			memPerListenerKB,
			pipeScalingEfficiency,
		};
		out(`# moderation: ${sockets.length} listener sockets, ${mod.length} receipts over 5 rounds`);
		out(
			`# best step within goals: ${best.listeners} listeners (${best.forwardedPps} pkt/s at ${best.workerCpuPct}% of the worker's core); ` +
				`joins measured: ${joins.length}; moderation receipts: ${mod.length}; muted forwarded pkt/s: ${muted.forwardedPps}; ` +
				`DTX forwarded pkt/s: ${dtx.forwardedPps} of ${dtx.expectedPps} without DTX; load average ${loadavg()[0]!.toFixed(2)}; ` +
				`${Math.round((Date.now() - started) / 1000)} s`
		);
		if (webrtc) {
			// Worker CPU per forwarded packet with plain listeners only (the same step) and with the WebRTC
			// ones added: what a WebRTC consumer (ICE consent, DTLS, RTCP) costs beyond a plain one.
			const usPerPacket = (r: Row | undefined) =>
				r && r.forwardedPps > 0 ? Number(((r.workerCpuPct * 1e4) / r.forwardedPps).toFixed(1)) : 0;
			const stepRow = rows.find((r) => r.phase === '1 worker' && r.listeners === WEBRTC_STEP);
			const { kind: _p, ...plain } = webrtc.plain;
			const { kind: _w, ...web } = webrtc.webrtc;
			out(
				`# webrtc realism: ${JSON.stringify({
					seconds: Number(args['webrtc-seconds']),
					webrtc: web,
					plain,
					failedJoins: webrtc.failedJoins,
					joinWallS: webrtc.joinWallS,
					workerUsPerPacket: { plainStep: usPerPacket(stepRow), withWebrtc: usPerPacket(webrtc.row) },
					generatorCpuPct: {
						plainStep: stepRow?.generatorCpuPct ?? 0,
						withWebrtc: webrtc.row.generatorCpuPct,
					},
				})}`
			);
		}
		if (relay) {
			// Relay listeners' join p95 leaves out the first one (its join opened the link: firstRelayJoinMs).
			const pick = (f: KindFigures) => ({
				listeners: f.listeners,
				ppsEach: f.ppsEach,
				minPpsEach: f.minPpsEach,
				lossPct: f.lossPct,
				joinP95Ms: f.joinP95Ms,
				latencyP50Ms: f.latencyP50Ms,
				latencyP99Ms: f.latencyP99Ms,
			});
			out(
				`# relay phase: ${JSON.stringify({
					relay: pick(relay.relay),
					origin: pick(relay.origin),
					firstRelayJoinMs: relay.firstRelayJoinMs,
					workerCpuPct: relay.workerCpuPct,
					phaseS: relayPhaseS,
				})}`
			);
		}
		process.stdout.write(`${JSON.stringify(summary)}\n`);
	} finally {
		for (const p of procs.reverse()) {
			await stop(p);
		}
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
