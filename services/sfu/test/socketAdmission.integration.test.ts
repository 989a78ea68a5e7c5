import { CloseCode, PROTOCOL_VERSION } from '@majlis/protocol';
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SOCKET_LIMITS } from '../src/signalling/socketLimits.js';
import { type Harness, type SfuNodeHandle, useHarness } from './support/harness.js';

// Finding 9 of the security review, over real sockets: a cap on open sockets per client address (read
// through the trusted proxies, like the API's rate limits), and a byte budget per socket that refuses
// frames before they are parsed.

let h: Harness;
useHarness((started) => {
	h = started;
});

const opened: WebSocket[] = [];
afterAll(() => {
	for (const ws of opened) {
		ws.terminate();
	}
});

/** Opens a socket to `node`; resolves `open`, or the HTTP status the upgrade was refused with. */
function connect(
	node: SfuNodeHandle,
	forwardedFor?: string
): Promise<{ ws: WebSocket; status: number | 'open' }> {
	const ws = new WebSocket(`${node.httpUrl.replace('http', 'ws')}/ws`, {
		headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
	});
	opened.push(ws);

	return new Promise((resolve, reject) => {
		ws.once('open', () => resolve({ ws, status: 'open' }));
		ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
		ws.once('error', reject);
	});
}

async function statuses(node: SfuNodeHandle, forwardedFor: (string | undefined)[]) {
	const results = [];
	for (const ip of forwardedFor) {
		results.push((await connect(node, ip)).status);
	}

	return results;
}

describe('sockets per client address', () => {
	test('past the cap an upgrade gets 429; a closed socket frees its place', async () => {
		const node = await h.addNode({ maxSocketsPerIp: 3 });
		const first = await connect(node);
		expect(await statuses(node, [undefined, undefined, undefined])).toEqual(['open', 'open', 429]);
		// X-Forwarded-For is not believed without TRUST_PROXY: a forged header does not escape the cap.
		expect(await statuses(node, ['203.0.113.7'])).toEqual([429]);
		expect(node.sfu.socketsOf('127.0.0.1')).toBe(3);
		first.ws.close();
		await expect.poll(() => node.sfu.socketsOf('127.0.0.1')).toBe(2);
		expect(await statuses(node, [undefined])).toEqual(['open']);
	});

	test('behind a trusted proxy each client address has its own cap', async () => {
		const node = await h.addNode({ maxSocketsPerIp: 2, trustProxy: 'loopback' });
		expect(await statuses(node, ['203.0.113.1', '203.0.113.1', '203.0.113.1'])).toEqual([
			'open',
			'open',
			429,
		]);
		expect(await statuses(node, ['203.0.113.2', '203.0.113.2'])).toEqual(['open', 'open']);
		expect(node.sfu.socketsOf('203.0.113.1')).toBe(2);
	});
});

describe('bytes per socket, checked before parsing', () => {
	/** A joined raw socket and a function that resolves with the next reply or the close. */
	async function joinedSocket(node: SfuNodeHandle) {
		const host = await h.user('host');
		const room = await h.room(host, {}, node);
		const { ticket } = await h.ticket(host, room.id);
		const { ws } = await connect(node);
		const inbox: unknown[] = [];
		const closed = new Promise<{ code: number; reason: string }>((resolve) =>
			ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
		);
		ws.on('message', (raw) => inbox.push(JSON.parse(raw.toString())));
		const reply = async (id: number) => {
			await expect.poll(() => inbox.some((m) => (m as { id?: number }).id === id)).toBe(true);

			return inbox.find((m) => (m as { id?: number }).id === id) as { ok: boolean; error?: { code: string } };
		};
		ws.send(
			JSON.stringify({ id: 1, type: 'session:join', data: { ticket, protocolVersion: PROTOCOL_VERSION } })
		);
		expect(await reply(1)).toMatchObject({ ok: true });

		return { ws, reply, closed };
	}

	// 60 KiB (over the 16 KiB byte burst) of unterminated JSON: parsing it would fail with no id, which
	// closes the socket (1008); a refusal before parsing answers it by the id it starts with.
	const big = (id: number) => `{"id":${id},"type":"chat:send","data":"${'x'.repeat(60 * 1024)}`;

	test('a frame over the byte budget is refused unparsed with rate_limited; the socket stays usable', async () => {
		const node = await h.addNode({
			socketLimits: { ...DEFAULT_SOCKET_LIMITS, bytesPerSecond: 1024, byteBurst: 16 * 1024 },
		});
		const { ws, reply } = await joinedSocket(node);
		ws.send(big(2));
		expect(await reply(2)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
		expect(ws.readyState).toBe(WebSocket.OPEN);
		ws.send(JSON.stringify({ id: 3, type: 'listeners:list', data: {} }));
		expect(await reply(3)).toMatchObject({ ok: true });
	});

	test('a socket that keeps sending big frames is closed with 4008; the node serves others', async () => {
		const limits = {
			...DEFAULT_SOCKET_LIMITS,
			bytesPerSecond: 1024,
			byteBurst: 16 * 1024,
			abuseThreshold: 20,
		};
		const node = await h.addNode({ socketLimits: limits });
		const { ws, closed } = await joinedSocket(node);
		for (let id = 10; id < 10 + limits.abuseThreshold + 5 && ws.readyState === WebSocket.OPEN; id++) {
			ws.send(big(id));
		}
		expect(await closed).toEqual({ code: CloseCode.PolicyViolation, reason: 'too many messages' });
		const other = await joinedSocket(node);
		other.ws.send(JSON.stringify({ id: 2, type: 'listeners:list', data: {} }));
		expect(await other.reply(2)).toMatchObject({ ok: true });
	});
});
