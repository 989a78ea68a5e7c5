import {
	CloseCode,
	MAX_CLIENT_FRAME_BYTES,
	roomNodeKey,
	SFU_HEARTBEAT_MS,
	SFU_NODES_KEY,
	type SfuNode,
	type TicketClaims,
} from '@majlis/protocol';
import { createTokenService } from '@majlis/server-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness, JWT_SECRET, type SfuNodeHandle } from './support/harness.js';
import { RequestError } from './support/TestClient.js';

// Connecting and authenticating over the real WebSocket: tickets, framing rules, replacement, health.
describe('sessions', () => {
	let h: Harness;
	let hasty: SfuNodeHandle;
	const tokens = createTokenService(JWT_SECRET);

	beforeAll(async () => {
		h = await Harness.start();
		hasty = await h.addNode({ joinTimeoutMs: 300 });
	});

	afterAll(async () => {
		await h?.close();
	});

	async function claimsFor(name: string): Promise<{ claims: TicketClaims; roomId: string; url: string }> {
		const host = await h.user(name);
		const room = await h.room(host);
		const { signallingUrl, ticket } = await h.ticket(host, room.id);
		const claims = await tokens.verifyTicket(ticket);

		return { claims, roomId: room.id, url: signallingUrl };
	}

	async function refusedJoin(
		url: string,
		ticket: string,
		extra: { roomId?: string; protocolVersion?: number } = {}
	) {
		const client = await h.connect(url, 'intruder');
		const error = await client.join(ticket, extra).then(
			() => undefined,
			(e: unknown) => e
		);
		const { code } = await client.closed;

		return { error: error instanceof RequestError ? error.code : String(error), close: code };
	}

	test('a valid ticket joins and gets a snapshot; the ticket role, node and room are honoured', async () => {
		const { claims, roomId, url } = await claimsFor('host');
		expect(url).toBe(`${h.node.httpUrl.replace('http', 'ws')}/ws`);
		const client = await h.connect(url, 'host');
		const { snapshot, routerRtpCapabilities } = await client.join(await tokens.signTicket(claims), {
			roomId,
		});
		expect(snapshot).toMatchObject({
			room: { id: roomId, speakRequests: 'everyone' },
			self: {
				userId: claims.sub,
				role: 'host',
				onStage: true,
				muted: true,
				handRaised: false,
				invited: false,
			},
			listenerCount: 0,
			hands: [],
			hostAwayUntil: null,
			seq: 0,
		});
		expect(
			(routerRtpCapabilities as { codecs: { mimeType: string }[] }).codecs.map((c) => c.mimeType)
		).toContain('audio/opus');
		expect(await client.refusal('session:join', { ticket: 'x', protocolVersion: 1 })).toBe('invalid_state');
	});

	test('a forged ticket is refused and the socket closed', async () => {
		const { claims, url } = await claimsFor('forger');
		const forged = await createTokenService('another-secret-that-is-32-bytes-long!').signTicket(claims);
		expect(await refusedJoin(url, forged)).toEqual({ error: 'unauthorized', close: CloseCode.Unauthorized });
		expect(await refusedJoin(url, 'not.a.jwt')).toEqual({
			error: 'unauthorized',
			close: CloseCode.Unauthorized,
		});
	});

	test('an expired ticket is refused as ticket_expired', async () => {
		const { claims, url } = await claimsFor('late');
		const expired = await tokens.signTicket(claims, -5);
		expect(await refusedJoin(url, expired)).toEqual({
			error: 'ticket_expired',
			close: CloseCode.Unauthorized,
		});
	});

	test('a ticket for another room, or for another node, is refused', async () => {
		const a = await claimsFor('a');
		const b = await claimsFor('b');
		const ticketForB = await tokens.signTicket(b.claims);
		expect(await refusedJoin(a.url, ticketForB, { roomId: a.roomId })).toEqual({
			error: 'unauthorized',
			close: CloseCode.Unauthorized,
		});
		const elsewhere = await tokens.signTicket({ ...a.claims, node: 'some-other-node' });
		expect(await refusedJoin(a.url, elsewhere)).toEqual({
			error: 'unauthorized',
			close: CloseCode.Unauthorized,
		});
	});

	test('another protocol version is refused with protocol_version', async () => {
		const { claims, url } = await claimsFor('old');
		expect(await refusedJoin(url, await tokens.signTicket(claims), { protocolVersion: 999 })).toEqual({
			error: 'protocol_version',
			close: CloseCode.ProtocolVersion,
		});
	});

	test('the first frame must be session:join', async () => {
		const { url } = await claimsFor('eager');
		const client = await h.connect(url, 'eager');
		expect(await client.refusal('hand:raise')).toBe('unauthorized');
		expect((await client.closed).code).toBe(CloseCode.Unauthorized);
	});

	test('a socket that does not join in time is closed', async () => {
		const client = await h.connect(`${hasty.httpUrl.replace('http', 'ws')}/ws`, 'idle');
		const started = Date.now();
		expect((await client.closed).code).toBe(CloseCode.Unauthorized);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test('bad frames are answered with bad_request; unframed garbage closes the socket', async () => {
		const host = await h.user('framer');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		const cases = [
			'{"id":101,"type":"no:such"}',
			'{"id":102,"type":"stage:invite","data":{"userId":"not-a-uuid"}}',
			'{"id":103,"type":"hand:raise","data":{"extra":true}}',
			'{"id":104,"type":"transport:create","data":{"direction":"sideways"}}',
			'{"id":105,"type":"hand:raise","bogus":1}',
			'{"id":106,"type":"speaker:unmute","data":{}}',
		];
		for (const [i, raw] of cases.entries()) {
			const reply = client.sendRaw(raw, 101 + i);
			await expect(reply).rejects.toMatchObject({ code: 'bad_request' });
		}
		// Still usable after refusals.
		expect(await client.request('listeners:list', {})).toEqual({ items: [], total: 0 });
		client.sendRaw('{not json');
		expect((await client.closed).code).toBe(CloseCode.PolicyViolation);
	});

	test('a frame above MAX_CLIENT_FRAME_BYTES closes the socket', async () => {
		const host = await h.user('big');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		client.sendRaw(
			JSON.stringify({ id: 1, type: 'hand:raise', data: { pad: 'x'.repeat(MAX_CLIENT_FRAME_BYTES) } })
		);
		// 1009: message too big (ws maxPayload).
		expect((await client.closed).code).toBe(1009);
	});

	test('a second connection of the same user replaces the first and keeps their place', async () => {
		const host = await h.user('twice');
		const listener = await h.user('watcher');
		const room = await h.room(host);
		const first = await h.join(host, room.id, 'first');
		const watcher = await h.join(listener, room.id);
		const mark = watcher.client.mark;
		const second = await h.join(host, room.id, 'second');
		await first.client.waitFor('session:closing', (d) => d.reason === 'replaced');
		expect((await first.client.closed).code).toBe(CloseCode.Replaced);
		expect(second.snapshot.self).toMatchObject({ role: 'host', onStage: true });
		expect(second.snapshot.stage.map((m) => m.userId)).toEqual([host.user.id]);
		// The replacement is not a departure: the host did not leave the stage.
		await new Promise((r) => setTimeout(r, 300));
		expect(watcher.client.all('stage:left', mark)).toEqual([]);
		expect(watcher.client.all('host:away', mark)).toEqual([]);
		expect(h.node.sfu.room(room.id)?.peerCount).toBe(2);
		expect(await second.client.request('listeners:list', {})).toMatchObject({ total: 1 });
	});

	test('session:leave answers, then closes the socket', async () => {
		const host = await h.user('leaver');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		await client.request('session:leave');
		expect((await client.closed).code).toBe(1000);
	});

	test('GET /health and /metrics describe the node', async () => {
		const health = await fetch(`${h.node.httpUrl}/health`);
		expect(health.status).toBe(200);
		expect(await health.json()).toMatchObject({
			status: 'ok',
			nodeId: h.node.sfu.nodeId,
			rooms: expect.any(Number),
		});
		const metrics = await fetch(`${h.node.httpUrl}/metrics`);
		const text = await metrics.text();
		expect(text).toMatch(/^majlis_sfu_rooms \d+$/m);
		expect(text).toMatch(/^majlis_sfu_peers \d+$/m);
		expect(text).toMatch(/^majlis_sfu_consumers \d+$/m);
		expect(text).toMatch(/^majlis_sfu_producers \d+$/m);
		expect(text).toMatch(/^majlis_sfu_worker_cpu_seconds\{pid="\d+"\} [\d.e-]+$/m);
		expect((await fetch(`${h.node.httpUrl}/nope`)).status).toBe(404);
		expect(h.problems()).toEqual([]);
	});

	test('the node heartbeats into the registry and leaves it when closed', async () => {
		const node = await h.addNode();
		const entry = async () => {
			const raw = await h.bus.hget(SFU_NODES_KEY, node.sfu.nodeId);

			return raw === null ? null : (JSON.parse(raw) as SfuNode);
		};
		expect(await entry()).toMatchObject({
			id: node.sfu.nodeId,
			url: `${node.httpUrl.replace('http', 'ws')}/ws`,
			rooms: 0,
			capacity: expect.any(Number),
		});
		const host = await h.user('beat');
		const room = await h.room(host, {}, node);
		await h.join(host, room.id);
		const before = (await entry())!.seenAt;
		await expect
			.poll(async () => (await entry())?.seenAt, { timeout: SFU_HEARTBEAT_MS * 3 })
			.toBeGreaterThan(before);
		expect(await entry()).toMatchObject({ rooms: 1, peers: 1 });
		await node.close();
		expect(await entry()).toBeNull();
		expect(await h.bus.get(roomNodeKey(room.id))).toBeNull();
	});

	test('a worker that dies is replaced; its rooms send their clients to reconnect', async () => {
		const node = await h.addNode();
		const pids = async () => {
			const text = await (await fetch(`${node.httpUrl}/metrics`)).text();

			return [...text.matchAll(/majlis_sfu_worker_cpu_seconds\{pid="(\d+)"\}/g)].map((m) => Number(m[1]));
		};
		const [pid] = await pids();
		const host = await h.user('survivor');
		const room = await h.room(host, {}, node);
		const first = await h.join(host, room.id);
		process.kill(pid!, 'SIGKILL');
		expect(await first.client.waitFor('session:closing')).toEqual({ reason: 'moving' });
		expect((await first.client.closed).code).toBe(CloseCode.Moving);
		await expect.poll(pids, { timeout: 10_000 }).toEqual([expect.any(Number)]);
		expect(await pids()).not.toContain(pid);
		const again = await h.join(host, room.id);
		expect(again.snapshot.self).toMatchObject({ role: 'host', onStage: true });
		await node.close();
	});

	test('transport parameters are checked: a second connect and malformed DTLS parameters are refused', async () => {
		const host = await h.user('dtls');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		const recv = await client.request('transport:create', { direction: 'recv' });
		expect(
			await client.refusal('transport:connect', {
				transportId: recv.id,
				dtlsParameters: { fingerprints: 'x' },
			})
		).toBe('bad_request');
		const dtlsParameters = {
			role: 'client',
			fingerprints: [{ algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') }],
		};
		await client.request('transport:connect', { transportId: recv.id, dtlsParameters });
		expect(await client.refusal('transport:connect', { transportId: recv.id, dtlsParameters })).toBe(
			'invalid_state'
		);
		expect(await client.refusal('transport:connect', { transportId: 'nope', dtlsParameters })).toBe(
			'not_found'
		);
		expect(
			(await client.request('transport:restartIce', { transportId: recv.id })).iceParameters
		).toMatchObject({
			usernameFragment: expect.any(String),
		});
		expect(await client.refusal('consume:start', { rtpCapabilities: { codecs: 1 } })).toBe('bad_request');
	});
});
