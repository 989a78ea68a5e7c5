// Phase REC: what recording costs and whether listeners notice. One room, `speakers` talking speakers and
// `listeners` listeners on a fresh one-worker node; windows of the same length alternate not recorded /
// recorded / not recorded / recorded, so drift on a shared machine falls on both sides alike. The worker
// pays one more consumer per speaker (the PlainTransport tap); the SFU's Node process pays the recorder
// (a UDP socket, Ogg pages to disk). After the stop, the time until the mix is ready is measured.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rest } from '../../rest.js';
import type { BenchContext } from '../context.js';
import type { Row } from '../measure.js';
import { out, table } from '../output.js';
import { type FreshStage, onFreshStage } from '../stage.js';

/** What the recording phase measured. */
export type RecordingPhase = {
	speakers: number;
	listeners: number;
	rows: Row[];
	/** Worker CPU % (of one core) per recorded speaker: recorded minus not, ÷ speakers. */
	workerCpuPctPerSpeaker: number;
	/** The SFU Node process's CPU % (the recorder) per recorded speaker. */
	recorderCpuPctPerSpeaker: number;
	/** Listener loss and p99 latency, not recorded → recorded (means of the windows). */
	lossPct: { off: number; on: number };
	latencyP99Ms: { off: number; on: number };
	/** Recorded seconds, and stop → `ready` (mix, peaks, upload), ms. */
	recordedS: number;
	processingMs: number;
};

const mean = (values: readonly number[]): number =>
	values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Runs the recording phase with `listeners` plain listeners. */
export async function recordingPhase(ctx: BenchContext, listeners: number): Promise<RecordingPhase> {
	out(`# phase REC: ${ctx.options.speakers} speakers recorded vs not, ${listeners} listeners, 1 worker`);
	const dir = await mkdtemp(join(tmpdir(), 'majlis-bench-recording-'));
	try {
		return await onFreshStage(
			ctx,
			{ MEDIASOUP_NUM_WORKERS: '1', RECORDING_DIR: dir },
			listeners,
			{ recorded: true },
			(fresh) => recordedWindows(ctx, fresh, listeners)
		);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

// Windows not recorded and recorded, twice, then one more recording timed from stop to ready.
async function recordedWindows(
	ctx: BenchContext,
	{ stage, window }: FreshStage,
	listeners: number
): Promise<RecordingPhase> {
	const { speakers, seconds } = ctx.options;
	const rows: Row[] = [];
	let recordedMs = 0;
	for (let i = 0; i < 2; i++) {
		rows.push(await window('not recorded'));
		const started = await stage.host.request('recording:start', {});
		await sleep(1000);
		rows.push(await window('recorded'));
		await stage.host.request('recording:stop', {});
		recordedMs += Date.now() - started.startedAt;
		await waitReady(ctx, stage.roomId, i + 1);
	}
	// The last stop's processing: ask again to time it on its own.
	const started = await stage.host.request('recording:start', {});
	await sleep(seconds * 1000);
	await stage.host.request('recording:stop', {});
	const stoppedAt = Date.now();
	await waitReady(ctx, stage.roomId, 3);
	const processingMs = Date.now() - stoppedAt;
	table(rows);
	const off = rows.filter((r) => r.phase === 'not recorded');
	const on = rows.filter((r) => r.phase === 'recorded');
	const phase: RecordingPhase = {
		speakers,
		listeners,
		rows,
		workerCpuPctPerSpeaker: round(
			(mean(on.map((r) => r.workerCpuPct)) - mean(off.map((r) => r.workerCpuPct))) / speakers
		),
		recorderCpuPctPerSpeaker: round(
			(mean(on.map((r) => r.sfuNodeCpuPct)) - mean(off.map((r) => r.sfuNodeCpuPct))) / speakers
		),
		lossPct: {
			off: round(mean(off.map((r) => r.lossPct)), 4),
			on: round(mean(on.map((r) => r.lossPct)), 4),
		},
		latencyP99Ms: {
			off: round(mean(off.map((r) => r.latencyP99Ms))),
			on: round(mean(on.map((r) => r.latencyP99Ms))),
		},
		recordedS: round((recordedMs + stoppedAt - started.startedAt) / 1000, 1),
		processingMs,
	};
	out(`recording: ${JSON.stringify({ ...phase, rows: undefined })}`);
	return phase;
}

// Waits until the room has `count` recordings, all ready.
async function waitReady(ctx: BenchContext, roomId: string, count: number): Promise<void> {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		const { items } = await rest<{ items: { state: string }[] }>(
			ctx.apiUrl,
			'GET',
			`/api/rooms/${roomId}/recordings`,
			ctx.hostToken
		);
		if (items.length >= count && items.every((r) => r.state === 'ready')) {
			return;
		}
		if (items.some((r) => r.state === 'failed')) {
			throw new Error('a recording failed');
		}
		await sleep(100);
	}
	throw new Error('the recordings were not ready within 120 s');
}
