import { performance } from 'node:perf_hooks';
import { MAX_CLIENT_FRAME_BYTES, PROTOCOL_VERSION, parseClientFrame, Requests } from '@majlis/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { UNLIMITED_SOCKET_LIMITS } from '../src/signalling/socketLimits.js';
import { Harness, type TestUser } from './support/harness.js';
import { Participant } from './support/Participant.js';

// 100k hostile frames over real sockets. The per-socket rate limit is lifted on this node so the frames
// reach the parser and the dispatch (the limiter has its own test). Every frame must be answered, or the
// socket closed; afterwards a normal client still joins and hears the stage.

const FRAMES = 100_000;
const LANES = 4;
const BATCH = 250;
const TYPES = Object.keys(Requests);
/** Close codes a fuzzed socket may end with. */
const EXPECTED_CLOSES = new Set([1000, 1009, 4001, 4008]);

type Fuzz = { text: string | Buffer };

const anyJson = fc.jsonValue({ maxDepth: 3 });
const id = fc.oneof(
	{ weight: 99, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
	{
		weight: 1,
		arbitrary: fc.oneof(fc.integer({ min: -5, max: -1 }), fc.double(), fc.string(), fc.constant(null)),
	}
);
const fieldNames = fc.constantFrom(
	'ticket',
	'protocolVersion',
	'roomId',
	'direction',
	'transportId',
	'dtlsParameters',
	'iceParameters',
	'rtpCapabilities',
	'rtpParameters',
	'kind',
	'consumerId',
	'userId',
	'offset',
	'limit',
	'codecs',
	'fingerprints',
	'role',
	'__proto__',
	'constructor',
	'prototype'
);
const wrongValue = fc.oneof(
	anyJson,
	fc.constantFrom('send', 'recv', 'audio', 'video', '', 'client', 'server', 'auto'),
	fc.integer(),
	fc.constant({ codecs: [{ mimeType: 'audio/opus', clockRate: 48000, payloadType: 'x' }] }),
	fc.constant({ role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'zz' }] })
);
const data = fc.oneof(anyJson, fc.dictionary(fieldNames, wrongValue, { maxKeys: 4 }));

/** One hostile frame. */
const frame: fc.Arbitrary<Fuzz> = fc.oneof(
	// Known type, wrongly typed or half-right data.
	{
		weight: 600,
		arbitrary: fc
			.record({ id, type: fc.constantFrom(...TYPES), data })
			.map((f) => ({ text: JSON.stringify(f) })),
	},
	// Unknown types.
	{
		weight: 200,
		arbitrary: fc
			.record({
				id,
				type: fc.oneof(
					fc.string(),
					fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty')
				),
				data,
			})
			.map((f) => ({ text: JSON.stringify(f) })),
	},
	// Prototype pollution attempts, written as raw JSON so `__proto__` is an own key.
	{
		weight: 200,
		arbitrary: fc
			.tuple(
				fc.integer({ min: 0, max: 1e6 }),
				fc.constantFrom(...TYPES),
				fc.constantFrom('__proto__', 'constructor')
			)
			.map(([i, type, key]) => ({
				text:
					key === '__proto__'
						? `{"id":${i},"type":"${type}","data":{"__proto__":{"polluted":"yes","userId":"x"}},"__proto__":{"polluted":"yes"}}`
						: `{"id":${i},"type":"${type}","data":{"constructor":{"prototype":{"polluted":"yes"}}}}`,
			})),
	},
	// Envelopes with extra or missing fields, arbitrary JSON values.
	{
		weight: 160,
		arbitrary: fc
			.dictionary(fc.constantFrom('type', 'data', 'seq', 'ok'), anyJson, { maxKeys: 4 })
			.map((v) => ({ text: JSON.stringify({ ...v, id: 7 }) })),
	},
	{ weight: 10, arbitrary: anyJson.map((v) => ({ text: JSON.stringify(v) })) },
	// Not JSON at all, or broken JSON.
	{
		weight: 10,
		arbitrary: fc
			.oneof(
				fc.string(),
				fc.constantFrom('{', '{"id":1,', '[', 'null', '\u0000', '{"id":1,"type":"hand:raise"')
			)
			.map((text) => ({ text })),
	},
	// Binary and oversized frames (rare: each costs a reconnect).
	{ weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ text: Buffer.from(b) })) },
	{
		weight: 1,
		arbitrary: fc.constant({
			text: JSON.stringify({ id: 1, type: 'hand:raise', data: { pad: 'x'.repeat(MAX_CLIENT_FRAME_BYTES) } }),
		}),
	}
);

/** Whether the server is expected to answer this frame (it has a usable id), rather than close. */
function answerable(f: Fuzz): boolean {
	return (
		typeof f.text === 'string' &&
		Buffer.byteLength(f.text) <= MAX_CLIENT_FRAME_BYTES &&
		parseClientFrame(f.text).id !== null
	);
}

interface LaneStats {
	sent: number;
	replied: number;
	closedUnanswered: number;
	reconnects: number;
	internal: string[];
	closeCodes: Map<number, number>;
}

describe('WebSocket fuzz', () => {
	let h: Harness;
	let host: TestUser;
	let roomId: string;
	const people: Participant[] = [];

	beforeAll(async () => {
		h = await Harness.start({ socketLimits: UNLIMITED_SOCKET_LIMITS });
		host = await h.user('host');
		roomId = (await h.room(host)).id;
		const hostP = await Participant.join(h, host, roomId, { speak: true });
		people.push(hostP);
		await hostP.client.request('mic:unmute');
	});

	afterAll(async () => {
		await Promise.all(people.map((p) => p.close()));
		await h?.close();
	});

	/** Opens a socket and (unless `raw`) joins as `user`. */
	async function open(user: TestUser, joined: boolean): Promise<WebSocket> {
		const { signallingUrl, ticket } = await h.ticket(user, roomId);
		const ws = new WebSocket(signallingUrl);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		if (joined) {
			const reply = await new Promise<{ ok: boolean }>((resolve, reject) => {
				ws.once('message', (m) => resolve(JSON.parse(m.toString())));
				ws.once('close', (code) => reject(new Error(`join closed ${code}`)));
				ws.send(
					JSON.stringify({
						id: 0,
						type: 'session:join',
						data: { ticket, protocolVersion: PROTOCOL_VERSION, roomId },
					})
				);
			});
			expect(reply.ok).toBe(true);
		}

		return ws;
	}

	/** Sends `frames` over sockets of `user`, a batch at a time; a closed socket is replaced. */
	async function lane(user: TestUser, frames: Fuzz[], joined: boolean, stats: LaneStats): Promise<void> {
		let i = 0;
		while (i < frames.length) {
			// A batch of answerable frames, ended by at most one frame that should close the socket.
			const batch: Fuzz[] = [];
			while (i < frames.length && batch.length < BATCH) {
				const f = frames[i++]!;
				batch.push(f);
				if (!answerable(f)) {
					break;
				}
			}
			const ws = await open(user, joined);
			stats.reconnects += 1;
			let replied = 0;
			const outcome = await new Promise<number | 'answered'>((resolve) => {
				ws.on('message', (m) => {
					const reply = JSON.parse(m.toString()) as {
						id?: number;
						ok?: boolean;
						error?: { code: string; message: string };
					};
					if (typeof reply.id !== 'number') {
						return;
					}
					replied += 1;
					if (reply.error?.code === 'internal') {
						stats.internal.push(reply.error.message);
					}
					if (replied === batch.length) {
						resolve('answered');
					}
				});
				ws.on('close', (code) => resolve(code));
				for (const f of batch) {
					ws.send(f.text, { binary: typeof f.text !== 'string' });
				}
			});
			stats.sent += batch.length;
			stats.replied += replied;
			if (outcome === 'answered') {
				ws.close();
			} else {
				stats.closeCodes.set(outcome, (stats.closeCodes.get(outcome) ?? 0) + 1);
				stats.closedUnanswered += batch.length - replied;
			}
		}
	}

	test(`${FRAMES} malformed, oversized, unknown, wrongly typed and polluting frames: each answered or closed`, async () => {
		const started = performance.now();
		const frames = fc.sample(frame, { numRuns: FRAMES, seed: 20240611 });
		const users = await Promise.all(Array.from({ length: LANES }, (_, n) => h.user(`fuzz${n}`)));
		const stats: LaneStats = {
			sent: 0,
			replied: 0,
			closedUnanswered: 0,
			reconnects: 0,
			internal: [],
			closeCodes: new Map(),
		};
		// A few hundred frames go to sockets that never joined; the rest to joined ones.
		const unjoined = frames.splice(0, 300);
		const per = Math.ceil(frames.length / LANES);
		await Promise.all([
			...users.map((user, n) => lane(user, frames.slice(n * per, (n + 1) * per), true, stats)),
			lane(users[0]!, unjoined, false, stats),
		]);
		const seconds = (performance.now() - started) / 1000;
		console.info(
			`[majlis] WS fuzz: ${stats.sent} frames in ${seconds.toFixed(1)} s, ${stats.replied} answered, ` +
				`${stats.closedUnanswered} ended by a close over ${stats.reconnects} sockets; closes ${JSON.stringify([...stats.closeCodes])}`
		);
		expect(stats.sent).toBeGreaterThanOrEqual(FRAMES);
		expect(stats.replied + stats.closedUnanswered).toBe(stats.sent);
		expect([...stats.closeCodes.keys()].filter((code) => !EXPECTED_CLOSES.has(code))).toEqual([]);
		expect(stats.internal).toEqual([]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();

		// The node and its worker are fine: a normal listener joins and hears the host.
		const listener = await h.user('listener');
		const listenerP = await Participant.join(h, listener, roomId, { listen: true });
		people.push(listenerP);
		await expect.poll(() => listenerP.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(20);
		expect(h.node.sfu.room(roomId)?.closed).toBe(false);
	}, 180_000);
});
