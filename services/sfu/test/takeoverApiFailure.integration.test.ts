import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TAKEOVER_RETRY_MS } from '../src/room/HostPresence.js';
import { Harness, type SfuNodeHandle } from './support/harness.js';

// A co-host takeover waits for the API (finding 13 of the security review): while the API fails the host
// change, the SFU keeps the room's host as the API records it, and tries again; once the API accepts,
// the co-host takes over and both sides agree. The node reaches the real API through a forwarding
// proxy that fails that one call on demand (503), as an API behind a failing database would.

const GRACE_MS = 300;
let h: Harness;
let proxy: Server;
let node: SfuNodeHandle;
let failHostChange = true;
let hostChangeAttempts = 0;

beforeAll(async () => {
	h = await Harness.start();
	const upstream = new URL(h.apiUrl);
	proxy = createServer((req, res) => {
		if (req.method === 'POST' && /^\/api\/internal\/rooms\/[^/]+\/host$/.test(req.url ?? '')) {
			hostChangeAttempts++;
			if (failHostChange) {
				res.writeHead(503, { 'content-type': 'application/json' });
				res.end('{"error":{"code":"unavailable","message":"database unavailable"}}');

				return;
			}
		}
		const forward = request(
			{
				host: upstream.hostname,
				port: upstream.port,
				path: req.url,
				method: req.method,
				headers: req.headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			}
		);
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	node = await Harness.startNode(h.bus, proxyUrl, { hostGraceMs: GRACE_MS });
});
afterAll(async () => {
	await node?.close();
	await h?.close();
	proxy?.closeAllConnections();
	await new Promise((resolve) => proxy?.close(resolve));
});

test('while the API fails the host change nobody takes over; once it answers, the co-host does', async () => {
	const host = await h.user('host');
	const cohost = await h.user('cohost');
	const room = await h.room(host, {}, node);
	await h.call('PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, host.token);
	const hostSide = await h.join(host, room.id);
	const cohostSide = await h.join(cohost, room.id);

	hostSide.client.terminate();
	await cohostSide.client.waitFor('host:away');
	await expect.poll(() => hostChangeAttempts, { timeout: GRACE_MS + 5000 }).toBeGreaterThan(0);
	// Refused: the host stays the host on both sides.
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(cohostSide.client.all('host:changed')).toEqual([]);
	expect(cohostSide.client.all('self:state').some((s) => s.role === 'host')).toBe(false);
	expect((await h.record(room.id)).hostId).toBe(host.user.id);

	failHostChange = false;
	expect(
		await cohostSide.client.waitFor('host:changed', () => true, { timeoutMs: TAKEOVER_RETRY_MS + 5000 })
	).toEqual({ userId: cohost.user.id });
	await cohostSide.client.waitFor('self:state', (s) => s.role === 'host');
	expect((await h.record(room.id)).hostId).toBe(cohost.user.id);
	expect(hostChangeAttempts).toBeGreaterThanOrEqual(2);
});
