// Phase F: the floor. The same speakers and listener count as the ramp's top step, forwarded by
// infra/bench/floor.c: one decrypt per incoming packet, one SRTP-GCM protect and a batched sendmmsg per
// copy, nothing else. Its CPU per copy is the least any SFU can spend here; the ratio of mediasoup's to
// it is what mediasoup's features (and our SFU around it) cost per packet. A second window sends each
// copy with a system call of its own, as mediasoup's worker does: the difference is what batching a
// fan-out (the sendmmsg worker patch) could save on this machine.
import { setTimeout as sleep } from 'node:timers/promises';
import { type FloorResult, startFloor } from '../../floorForwarder.js';
import { NativeSink } from '../../NativeSink.js';
import { Pacer } from '../../Pacer.js';
import { RtpSpeaker } from '../../RtpSpeaker.js';
import { createSrtpParameters } from '../../SrtpContext.js';
import type { BenchContext } from '../context.js';
import { out } from '../output.js';

// The suite the bench's speakers and listeners use (bots.ts).
const SUITE = 'AEAD_AES_128_GCM' as const;
const WARMUP_S = 2;

/** What the floor phase measured. */
export type FloorPhase = {
	listeners: number;
	/** floor.c's CPU µs (user + system) per forwarded copy. */
	floorUsPerPacket: number;
	/** Of which in the kernel (sendmmsg and the loopback delivery it includes). */
	floorSysUsPerPacket: number;
	forwardedPps: number;
	expectedPps: number;
	floorCpuPct: number;
	lossPct: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	/** Copies whose SRTP the sink authenticated and decrypted (every 25th): proof the keys are real. */
	verified: number;
	authFailures: number;
	/** The native sink's CPU µs per received packet (the generator's receive cost). */
	sinkUsPerPacket: number;
	/** The same floor with a system call per copy (`--batch 1`): CPU µs per copy, and of it in the kernel. */
	unbatched: { usPerPacket: number; sysUsPerPacket: number; lossPct: number };
};

/** One window of the floor: what a run of floor.c with `batch` copies per sendmmsg measured. */
type FloorWindow = Omit<FloorPhase, 'unbatched'>;

/**
 * Runs the floor forwarder with `listeners` listeners of `ctx.options.speakers` speakers, on a worker core
 * of its own under `--pin auto` (as a mediasoup worker): a window batched, then one a call per copy.
 */
export async function floorPhase(ctx: BenchContext, listeners: number): Promise<FloorPhase> {
	out(`# phase F: the floor (infra/bench/floor.c), ${listeners} listeners`);
	const batched = await floorWindow(ctx, listeners, undefined);
	const single = await floorWindow(ctx, listeners, 1);
	const phase: FloorPhase = {
		...batched,
		unbatched: {
			usPerPacket: single.floorUsPerPacket,
			sysUsPerPacket: single.floorSysUsPerPacket,
			lossPct: single.lossPct,
		},
	};
	out(`floor: ${JSON.stringify(phase)}`);
	return phase;
}

/** One window: speakers, floor.c (at most `batch` copies per sendmmsg; undefined: its default) and a sink. */
async function floorWindow(
	ctx: BenchContext,
	listeners: number,
	batch: number | undefined
): Promise<FloorWindow> {
	const speakersKey = createSrtpParameters(SUITE);
	const listenersKey = createSrtpParameters(SUITE);
	const sink = await NativeSink.start({
		sockets: Math.min(16, listeners),
		verify: { keyBase64: listenersKey.keyBase64, suite: SUITE, every: 25 },
	});
	const pacer = new Pacer({ stagger: ctx.options.speakerPhase === 'staggered' });
	const speakers: RtpSpeaker[] = [];
	let floor: Awaited<ReturnType<typeof startFloor>> | undefined;
	let release: () => void = () => undefined;
	try {
		floor = await startFloor({
			suite: SUITE,
			inKeyBase64: speakersKey.keyBase64,
			outKeyBase64: listenersKey.keyBase64,
			listeners,
			sinkPorts: sink.ports,
			warmupSeconds: WARMUP_S,
			seconds: ctx.options.seconds,
			batch,
		});
		release = ctx.procs.placeMeasured(floor.pid);
		for (let i = 0; i < ctx.options.speakers; i++) {
			const rtp = await RtpSpeaker.create({
				packets: ctx.packets,
				ssrc: 0x1000 + i,
				srtp: speakersKey,
				startFrame: i * 97,
			});
			rtp.connect('127.0.0.1', floor.port);
			speakers.push(rtp);
			pacer.add(rtp);
		}
		pacer.start();
		// The floor opens its window WARMUP_S after its first packet; the sink's opens with it.
		await sleep(WARMUP_S * 1000);
		sink.reset();
		const result: FloorResult = await floor.result;
		const got = await sink.snapshot();
		return {
			listeners,
			floorUsPerPacket: Number(result.usPerCopy.toFixed(3)),
			floorSysUsPerPacket: result.copiesOut > 0 ? Number((result.cpuSysUs / result.copiesOut).toFixed(3)) : 0,
			forwardedPps: Math.round(got.packets / Math.max(got.seconds, 1e-3)),
			// What the floor received times the fan-out (the generator may fall behind 50/s under load).
			expectedPps: Math.round((result.packetsIn * listeners) / Math.max(result.seconds, 1e-3)),
			floorCpuPct: Number(result.cpuPct.toFixed(1)),
			lossPct: Number(got.lossPct.toFixed(3)),
			latencyP50Ms: Number(got.latencyP50Ms.toFixed(2)),
			latencyP99Ms: Number(got.latencyP99Ms.toFixed(2)),
			verified: got.verified,
			authFailures: got.authFailures + result.authFailures,
			sinkUsPerPacket: Number(got.usPerPacket.toFixed(3)),
		};
	} finally {
		pacer.stop();
		await Promise.all(speakers.map((s) => s.close()));
		await floor?.kill();
		release();
		await sink.stop();
	}
}
