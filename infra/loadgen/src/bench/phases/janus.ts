// Phase J: Janus (Debian's package) as a peer SFU in the same run, the same speakers and listener count
// as the ramp's top step, on the same native sinks:
// - VideoRoom forwarding: each speaker is a remote publisher (plain RTP in, Janus's cascading input) and
//   each listener gets one rtp_forward per speaker with SRTP (AES_CM_128_HMAC_SHA1_80: forwarders offer
//   no GCM). That is Janus's PlainTransport-consumer equivalent: no ICE/DTLS on either side, as the
//   bench's plain listeners. CPU per forwarded packet, loss, latency (abs-capture-time is forwarded).
// - AudioBridge mixing: speakers and listeners are plain RTP participants (listeners muted); Janus decodes,
//   mixes and encodes one Opus stream per listener. CPU per listener, loss; no latency (a mix carries no
//   send time).
import { setTimeout as sleep } from 'node:timers/promises';
import { JanusSession } from '../../JanusClient.js';
import { JanusProcess, janusInstalled } from '../../JanusProcess.js';
import { NativeSink, type NativeSinkTotals } from '../../NativeSink.js';
import { opensslLibsrtpDir } from '../../nativeProcess.js';
import { Pacer } from '../../Pacer.js';
import { RtpSpeaker } from '../../RtpSpeaker.js';
import { createSrtpParameters } from '../../SrtpContext.js';
import type { BenchContext } from '../context.js';
import { out } from '../output.js';
import { cpuMs } from '../procfs.js';

const WARMUP_MS = 2000;
const ROOM = 4242;
// A remote publisher's stream m-index 0 must arrive with SSRC 1000 (REMOTE_PUBLISHER_BASE_SSRC in Janus).
const REMOTE_PUBLISHER_SSRC = 1000;
const SRTP_AES_CM_80 = 80;

/** One Janus measurement. */
export type JanusRow = {
	mode: 'videoroom-forward' | 'videoroom-forward-openssl' | 'audiobridge-mix';
	listeners: number;
	forwardedPps: number;
	expectedPps: number;
	/** The Janus process's CPU (all threads) as % of one core. */
	janusCpuPct: number;
	/** Janus CPU µs per packet a sink received. */
	usPerPacket: number;
	/** Janus CPU % per listener (the mixer's figure: one encode per listener). */
	cpuPctPerListener: number;
	lossPct: number;
	/** NaN (null in JSON) for the mixer. */
	latencyP50Ms: number;
	latencyP99Ms: number;
	saturated: boolean;
};

/** The Janus measurements (Debian's Janus; VideoRoom again with OpenSSL's libsrtp when available). */
export type JanusPhase = { videoroom: JanusRow; audiobridge?: JanusRow; videoroomOpenssl?: JanusRow };

// Packets the speakers sent (the generator may fall behind its 50/s under load: `expectedPps` follows it).
const sent = (speakers: readonly RtpSpeaker[]): number => speakers.reduce((n, s) => n + s.packetsSent, 0);

/**
 * One window on the sink. `copies`: packets each speaker packet should become (forwarding: the listeners);
 * undefined for the mixer, which sends each listener 50 packets/s whatever comes in.
 */
async function measure(
	mode: JanusRow['mode'],
	janus: JanusProcess,
	sink: NativeSink,
	speakers: readonly RtpSpeaker[],
	listeners: number,
	copies: number | undefined,
	seconds: number
): Promise<JanusRow> {
	await sleep(WARMUP_MS);
	sink.reset();
	const c0 = cpuMs(janus.pid);
	const s0 = sent(speakers);
	const t0 = performance.now();
	await sleep(seconds * 1000);
	const got: NativeSinkTotals = await sink.snapshot();
	const cpu = cpuMs(janus.pid) - c0;
	const wallMs = performance.now() - t0;
	const pct = (100 * cpu) / wallMs;
	const expectedPps =
		copies === undefined ? 50 * listeners : ((sent(speakers) - s0) * copies * 1000) / wallMs;
	const forwardedPps = got.packets / got.seconds;
	return {
		mode,
		listeners,
		forwardedPps: Math.round(forwardedPps),
		expectedPps: Math.round(expectedPps),
		janusCpuPct: Number(pct.toFixed(1)),
		usPerPacket: got.packets > 0 ? Number(((cpu * 1000) / got.packets).toFixed(2)) : 0,
		cpuPctPerListener: Number((pct / listeners).toFixed(3)),
		lossPct: Number(got.lossPct.toFixed(3)),
		latencyP50Ms: got.latencySamples > 0 ? Number(got.latencyP50Ms.toFixed(2)) : Number.NaN,
		latencyP99Ms: got.latencySamples > 0 ? Number(got.latencyP99Ms.toFixed(2)) : Number.NaN,
		// Fewer packets out than due: a backlog or (the mixer) a late mixing thread; the row measures that.
		saturated: forwardedPps < 0.98 * expectedPps,
	};
}

async function videoRoom(
	ctx: BenchContext,
	janus: JanusProcess,
	listeners: number,
	mode: 'videoroom-forward' | 'videoroom-forward-openssl'
): Promise<JanusRow> {
	const session = await JanusSession.create(janus.url);
	const sink = await NativeSink.start({ sockets: Math.min(16, listeners) });
	const pacer = new Pacer({ stagger: ctx.options.speakerPhase === 'staggered' });
	const speakers: RtpSpeaker[] = [];
	try {
		const handle = await session.attach('janus.plugin.videoroom');
		await session.request(handle, { request: 'create', room: ROOM, audiocodec: 'opus', publishers: 16 });
		for (let i = 0; i < ctx.options.speakers; i++) {
			const rtp = await RtpSpeaker.create({
				packets: ctx.packets,
				ssrc: REMOTE_PUBLISHER_SSRC,
				startFrame: i * 97,
			});
			const pub = await session.request(handle, {
				request: 'add_remote_publisher',
				room: ROOM,
				id: i + 1,
				display: `bench-${i}`,
				iface: '127.0.0.1',
				streams: [
					{
						type: 'audio',
						mindex: 0,
						mid: '0',
						codec: 'opus',
						audiolevel_ext_id: rtp.headerExtensionIds.audioLevel,
					},
				],
			});
			rtp.connect('127.0.0.1', Number(pub.port));
			speakers.push(rtp);
		}
		await session.waitForRemotePublishers(handle, ROOM, speakers.length);
		// One forwarder per (listener, speaker), each its own SSRC and SRTP key, as a consumer per speaker.
		for (let j = 0; j < listeners; j++) {
			const keyBase64 = createSrtpParameters('AES_CM_128_HMAC_SHA1_80').keyBase64;
			await Promise.all(
				speakers.map((_, i) =>
					session.request(handle, {
						request: 'rtp_forward',
						room: ROOM,
						publisher_id: i + 1,
						host: '127.0.0.1',
						host_family: 'ipv4',
						streams: [{ mid: '0', port: sink.ports[j % sink.ports.length], ssrc: ((j + 1) << 8) | i }],
						srtp_suite: SRTP_AES_CM_80,
						srtp_crypto: keyBase64,
					})
				)
			);
		}
		for (const s of speakers) {
			pacer.add(s);
		}
		pacer.start();
		return await measure(mode, janus, sink, speakers, listeners, listeners, ctx.options.seconds);
	} finally {
		pacer.stop();
		await Promise.all(speakers.map((s) => s.close()));
		await sink.stop();
		await session.destroy();
	}
}

async function audioBridge(ctx: BenchContext, janus: JanusProcess, listeners: number): Promise<JanusRow> {
	const session = await JanusSession.create(janus.url);
	const sink = await NativeSink.start({ sockets: Math.min(16, listeners) });
	const pacer = new Pacer({ stagger: ctx.options.speakerPhase === 'staggered' });
	const speakers: RtpSpeaker[] = [];
	try {
		const admin = await session.attach('janus.plugin.audiobridge');
		await session.request(admin, {
			request: 'create',
			room: ROOM,
			sampling_rate: 48000,
			allow_rtp_participants: true,
			audiolevel_event: false,
		});
		// A participant is a handle; a plain RTP one gets Janus's port in its `joined` event.
		const join = async (rtp: Record<string, unknown>, muted: boolean): Promise<number> => {
			const handle = await session.attach('janus.plugin.audiobridge');
			const joined = await session.requestEvent(handle, { request: 'join', room: ROOM, muted, rtp });
			return Number((joined.rtp as { port: number }).port);
		};
		for (let i = 0; i < ctx.options.speakers; i++) {
			const rtp = await RtpSpeaker.create({ packets: ctx.packets, ssrc: 0x2000 + i, startFrame: i * 97 });
			const port = await join({ ip: '127.0.0.1', port: rtp.localPort, payload_type: rtp.payloadType }, false);
			rtp.connect('127.0.0.1', port);
			speakers.push(rtp);
			pacer.add(rtp);
		}
		for (let j = 0; j < listeners; j++) {
			const socket = j % sink.ports.length;
			const port = await join({ ip: '127.0.0.1', port: sink.ports[socket], payload_type: 111 }, true);
			// Janus sends to a plain RTP participant only after a packet from its address.
			sink.hello(socket, '127.0.0.1', port);
		}
		pacer.start();
		return await measure('audiobridge-mix', janus, sink, speakers, listeners, undefined, ctx.options.seconds);
	} finally {
		pacer.stop();
		await Promise.all(speakers.map((s) => s.close()));
		await sink.stop();
		await session.destroy();
	}
}

/** Runs `body` on a fresh Janus placed on a worker core of its own (under `--pin auto`), then stops it. */
async function withJanus<T>(
	ctx: BenchContext,
	options: { libsrtpDir?: string },
	body: (janus: JanusProcess) => Promise<T>
): Promise<T> {
	const janus = await JanusProcess.start(options);
	// Threads started later (the mixer, each remote publisher's) inherit the affinity.
	const release = ctx.procs.placeMeasured(janus.pid);
	try {
		return await body(janus);
	} finally {
		await janus.stop();
		release();
	}
}

/**
 * Runs the Janus measurements with `listeners` listeners; undefined when Janus is not installed. Under
 * `--pin auto` every Janus thread runs on one worker core of its own, as one mediasoup worker. VideoRoom
 * runs twice: as Debian ships it (libsrtp with NSS), and with infra/bench's OpenSSL libsrtp2 when it
 * could be built (the worker's crypto; only the suite still differs).
 */
export async function janusPhase(ctx: BenchContext, listeners: number): Promise<JanusPhase | undefined> {
	if (!janusInstalled()) {
		out('# phase J: skipped (Janus is not installed: apt-get install janus)');
		return undefined;
	}
	out(`# phase J: Janus VideoRoom forwarding and AudioBridge mixing, ${listeners} listeners`);
	const phase: JanusPhase = await withJanus(ctx, {}, async (janus) => {
		const videoroom = await videoRoom(ctx, janus, listeners, 'videoroom-forward');
		out(`janus: ${JSON.stringify(videoroom)}`);
		let audiobridge: JanusRow | undefined;
		try {
			audiobridge = await audioBridge(ctx, janus, listeners);
			out(`janus: ${JSON.stringify(audiobridge)}`);
		} catch (error) {
			out(`# janus audiobridge: failed: ${error instanceof Error ? error.message : String(error)}`);
		}
		return { videoroom, audiobridge };
	});
	const libsrtpDir = opensslLibsrtpDir();
	if (libsrtpDir) {
		try {
			phase.videoroomOpenssl = await withJanus(ctx, { libsrtpDir }, (janus) =>
				videoRoom(ctx, janus, listeners, 'videoroom-forward-openssl')
			);
			out(`janus: ${JSON.stringify(phase.videoroomOpenssl)}`);
		} catch (error) {
			out(`# janus with OpenSSL libsrtp: failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	return phase;
}
