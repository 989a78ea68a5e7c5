// The realism check: next to the plain listeners of one ramp step, real WebRTC listeners (werift: ICE,
// DTLS, SRTP) join, each alternating with a fresh plain one so both kinds' join → first packet is timed
// under the same load; then one measured window over everyone. Both groups leave afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import { ChromiumListeners } from '../../ChromiumListeners.js';
import { LogHistogram, percentile } from '../../stats.js';
import { type JoinStretches, WebRtcListener } from '../../WebRtcListener.js';
import { identity, inBatches, type Listener, startListener, stopListener, ticketFor } from '../bots.js';
import type { BenchContext } from '../context.js';
import {
	figures,
	type KindFigures,
	measure,
	type Receiver,
	type Row,
	snapshot,
	usPerPacket,
} from '../measure.js';
import { out } from '../output.js';
import { type ChromiumFigures, chromiumJoins } from './chromium.js';
import type { LiveRoom, Ramp } from './ramp.js';

/** The window's row, the ramp step it starts from, both kinds' figures, and how the joins went. */
export type Realism = {
	row: Row;
	step: Row;
	plain: KindFigures;
	webrtc: KindFigures;
	failedJoins: number;
	joinWallS: number;
	/** Chromium listeners' joins under the same step (undefined without a browser or with `--chromium 0`). */
	chromium?: ChromiumFigures;
};

/**
 * Trims `room` to the listeners of the largest ramp step up to `--webrtc-at` (else the first step): a few
 * hundred, below the generator's saturation, so latency compares forwarding paths rather than run-queue
 * waits; then runs the check (see the file comment).
 */
export async function realismPhase(ctx: BenchContext, room: LiveRoom, ramp: Ramp): Promise<Realism> {
	const { node, stage, listeners, latency: plainLatency } = room;
	const { webrtc: count, webrtcAt, webrtcSeconds, speakers } = ctx.options;
	const step = ramp.rows.filter((r) => r.listeners <= webrtcAt).at(-1) ?? ramp.rows[0]!;
	await Promise.all(listeners.splice(step.listeners).map(stopListener));
	await sleep(1500);
	out(
		`# webrtc realism: ${listeners.length} plain listeners, ${count} WebRTC and ${count} plain joining alongside`
	);
	const webLatency = new LogHistogram();
	const web: WebRtcListener[] = [];
	const fresh: Listener[] = [];
	let failedJoins = 0;
	const t0 = performance.now();
	// A few at a time: each WebRTC join is an ECDSA key, a DTLS handshake and one renegotiation (the whole
	// stage at once) in the generator's event loop, which also carries the plain sinks' RTP.
	await inBatches(2 * count, 4, async (i) => {
		const ticket = await ticketFor(identity('listener'), stage.roomId, node.nodeId, false);
		try {
			if (i % 2 === 0) {
				web.push(await WebRtcListener.join({ url: node.url, ticket, latency: webLatency }));
			} else {
				fresh.push(await startListener(node.url, ticket, plainLatency));
			}
		} catch (error) {
			failedJoins++;
			out(`# webrtc realism: join failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	});
	const joinWallS = (performance.now() - t0) / 1000;
	// Settle: every WebRTC listener has negotiated all the speakers' consumers (or 10 s passed).
	const until = Date.now() + 10_000;
	while (Date.now() < until && web.some((l) => l.transport.consumers.size < speakers)) {
		await sleep(200);
	}
	await sleep(1500);
	const plainAll = [...listeners, ...fresh];
	const everyone: Receiver[] = [...plainAll, ...web];
	const before = snapshot(everyone);
	const t1 = performance.now();
	const row = await measure(
		`+${web.length} WebRTC`,
		node,
		everyone,
		[plainLatency, webLatency],
		speakers,
		webrtcSeconds,
		ctx.shared?.native
	);
	const dt = (performance.now() - t1) / 1000;
	const result: Realism = {
		row,
		step,
		// Per-listener figures need a sink of its own: the native sink's listeners count in the row only.
		plain: figures(
			'plain',
			plainAll.filter((l) => l.sink),
			fresh,
			before,
			dt,
			plainLatency
		),
		webrtc: figures('webrtc', web, web, before, dt, webLatency),
		failedJoins,
		joinWallS: Number(joinWallS.toFixed(1)),
	};
	out(`# webrtc realism: join stretches p50 / p95 ms ${JSON.stringify(joinStretches(web))}`);
	const errors = web.flatMap((l) => l.errors.map((e) => e.message));
	if (errors.length > 0) {
		out(`# webrtc realism: consumer errors ${JSON.stringify(errors.slice(0, 5))} (${errors.length})`);
	}
	await Promise.all([...web.map((l) => l.close()), ...fresh.map(stopListener)]);
	// Let the SFU close the departed listeners' transports before the next step.
	await sleep(1000);
	if (ctx.options.chromium > 0 && ChromiumListeners.available()) {
		result.chromium = await chromiumJoins(ctx, room, ctx.options.chromium);
		out(`# webrtc realism: Chromium listeners ${JSON.stringify(result.chromium)}`);
		await sleep(1000);
	}
	return result;
}

/**
 * The check's detail line: both kinds' figures, and worker CPU per forwarded packet with plain listeners
 * only (the same step of the ramp) and with the WebRTC ones added, i.e. what a WebRTC consumer
 * (ICE consent, DTLS, RTCP) costs beyond a plain one.
 */
export function realismDetail(r: Realism, seconds: number): object {
	const { kind: _p, ...plain } = r.plain;
	const { kind: _w, ...webrtc } = r.webrtc;
	return {
		seconds,
		webrtc,
		plain,
		failedJoins: r.failedJoins,
		joinWallS: r.joinWallS,
		workerUsPerPacket: { plainStep: usPerPacket(r.step), withWebrtc: usPerPacket(r.row) },
		generatorCpuPct: { plainStep: r.step.generatorCpuPct, withWebrtc: r.row.generatorCpuPct },
	};
}

// Where a WebRTC join's time goes, stretch by stretch ([p50, p95] ms over the listeners that got audio).
function joinStretches(web: readonly WebRtcListener[]): Record<string, [number, number]> {
	const all = web.map((l) => l.joinStretchesMs()).filter((s) => Number.isFinite(s.firstPacket));
	const result: Record<string, [number, number]> = {};
	for (const key of Object.keys(all[0] ?? {}) as (keyof JoinStretches)[]) {
		const values = all.map((s) => s[key]);
		result[key] = [round1(percentile(values, 0.5)), round1(percentile(values, 0.95))];
	}
	return result;
}

function round1(ms: number): number {
	return Math.round(ms * 10) / 10;
}
