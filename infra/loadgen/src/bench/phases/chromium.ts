// Real Chromium listeners' join → first audio, part of the realism check: they join beside the step's
// plain listeners from a process of their own (chromiumDevice.ts: the browser and its signalling, on any
// core), a few at a time as the werift bots do, and leave once their first packet is in.
import { spawn } from 'node:child_process';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import type { ChromiumJoin } from '../../ChromiumListeners.js';
import { percentile } from '../../stats.js';
import { identity, ticketFor } from '../bots.js';
import type { DeviceReply, DeviceRequest } from '../chromiumDevice.js';
import type { BenchContext } from '../context.js';
import { out } from '../output.js';
import type { LiveRoom } from './ramp.js';

const DEVICE = fileURLToPath(new URL('../chromiumDevice.ts', import.meta.url));
const LOADGEN_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** Join → first packet of Chromium listeners: p50 / p95 (ms), failures, and where the time went. */
export type ChromiumFigures = {
	joins: number;
	failed: number;
	joinP50Ms: number;
	joinP95Ms: number;
	stretches: Record<string, [number, number]>;
	/** The slowest join's own stretches: where the tail comes from. */
	slowest: Record<string, number>;
};

/** Times `count` Chromium listeners' joins to `room` (after one untimed join). */
export async function chromiumJoins(
	ctx: BenchContext,
	room: LiveRoom,
	count: number
): Promise<ChromiumFigures> {
	const { node, stage } = room;
	const tickets = await Promise.all(
		Array.from({ length: count + 1 }, () => ticketFor(identity('listener'), stage.roomId, node.nodeId, false))
	);
	// Joins measure signalling and setup, not forwarding: as in the moderation and reactions phases, the
	// SFU's Node process runs beside the worker, not queued behind the generator's sockets on core 0.
	const back = ctx.procs.measureSignalling(node);
	try {
		return await timeJoins(ctx, node.url, tickets);
	} finally {
		back();
	}
}

async function timeJoins(ctx: BenchContext, url: string, tickets: string[]): Promise<ChromiumFigures> {
	const request: DeviceRequest = { url, tickets, concurrency: 4 };
	// On any core: a listener's browser runs on a device of its own, not on the generator's core.
	const device = await ctx.procs.unconfined(async () =>
		spawn(process.execPath, ['--import', 'tsx', DEVICE], {
			cwd: LOADGEN_DIR,
			stdio: ['pipe', 'pipe', 'inherit'],
		})
	);
	device.stdin.end(JSON.stringify(request));
	const [stdout, [code]] = await Promise.all([
		text(device.stdout),
		new Promise<[number | null]>((resolve) => device.once('exit', (c) => resolve([c]))),
	]);
	if (code !== 0) {
		throw new Error(`Chromium listeners' process exited with ${code}`);
	}
	const { joins, errors } = JSON.parse(stdout) as DeviceReply;
	for (const error of errors) {
		out(`# webrtc realism: Chromium join failed: ${error}`);
	}
	return figures(joins, errors.length);
}

function figures(joins: readonly ChromiumJoin[], failed: number): ChromiumFigures {
	const ms = (from: number, to: number) => (to - from) / 1000;
	// The page reports DTLS up and the first packet as events of their own, which may arrive in either
	// order: ICE + DTLS is to the state change, the last stretch to the packet, both from the answer.
	const stretches = {
		socketAndJoin: joins.map((j) => ms(j.startUs, j.joinedUs)),
		consume: joins.map((j) => ms(j.joinedUs, j.stageOfferedUs)),
		answer: joins.map((j) => ms(j.stageOfferedUs, j.answeredUs)),
		iceDtls: joins.map((j) => ms(j.answeredUs, j.connectedUs)),
		answerToPacket: joins.map((j) => ms(j.answeredUs, j.firstPacketUs)),
	};
	const totals = joins.map((j) => ms(j.startUs, j.firstPacketUs));
	const slowest = totals.indexOf(Math.max(...totals));
	const round1 = (value: number) => Math.round(value * 10) / 10;
	return {
		joins: joins.length,
		failed,
		joinP50Ms: round1(percentile(totals, 0.5)),
		joinP95Ms: round1(percentile(totals, 0.95)),
		stretches: Object.fromEntries(
			Object.entries(stretches).map(([k, v]) => [
				k,
				[round1(percentile(v, 0.5)), round1(percentile(v, 0.95))],
			])
		),
		slowest: Object.fromEntries(
			Object.entries(stretches).map(([k, v]) => [k, round1(v[slowest] ?? Number.NaN)])
		),
	};
}
