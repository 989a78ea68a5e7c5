import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';
import { RecvTransport, receivedDuring } from './support/webrtc.js';

// A listener's network path drops (new interface, new local ports); the client asks for new ICE
// credentials (`transport:restartIce`) and restarts ICE on the same transport: no rejoin, same consumers.
describe('ICE restart', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('after the listener’s path drops, restartIce brings its audio back on the same transport', async () => {
		const host = await h.user('host');
		const listener = await h.user('listener');
		const room = await h.room(host);
		const hostSide = await h.speakingHost(host, room.id);
		const { send } = hostSide;

		const listenerSide = await h.join(listener, room.id);
		const recv = await RecvTransport.create(listenerSide.client);
		h.defer(() => recv.close());
		await expect.poll(() => recv.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(20);
		const recvState = () =>
			h.node.sfu
				.room(room.id)
				?.diagnostics()
				.find((p) => p.userId === listener.user.id)
				?.transports.find((t) => t.direction === 'recv');
		expect(recvState()?.iceState).toMatch(/^(connected|completed)$/);

		// The path is gone: nothing reaches the listener any more.
		await recv.dropNetworkPath();
		await sleep(200);
		expect(await receivedDuring(recv, host.user.id, 600)).toBe(0);

		const started = performance.now();
		const { iceParameters } = await listenerSide.client.request('transport:restartIce', {
			transportId: recv.info.id,
		});
		expect(iceParameters).toMatchObject({
			usernameFragment: expect.any(String),
			password: expect.any(String),
		});
		expect(iceParameters.usernameFragment).not.toBe(
			(recv.info.iceParameters as { usernameFragment: string }).usernameFragment
		);
		await recv.restartIce(iceParameters);
		const before = recv.received(host.user.id);
		await expect
			.poll(() => recv.received(host.user.id), { timeout: 10_000, interval: 10 })
			.toBeGreaterThan(before);
		const flowingMs = performance.now() - started;
		// Flowing, not one stray packet: it keeps increasing.
		await expect.poll(() => receivedDuring(recv, host.user.id, 300), { timeout: 5000 }).toBeGreaterThan(5);
		await expect.poll(() => recvState()?.iceState, { timeout: 5000 }).toMatch(/^(connected|completed)$/);
		expect(recvState()?.dtlsState).toBe('connected');
		console.info(`[iceRestart] restartIce → audio flowing again in ${flowingMs.toFixed(0)} ms`);

		// Same session, same transport: no rejoin happened.
		expect(listenerSide.client.open).toBe(true);
		expect(recv.errors).toEqual([]);
		send.stopTone();
		expect(h.problems()).toEqual([]);
	});

	test('restartIce on a transport that is not the caller’s is refused', async () => {
		const host = await h.user('host');
		const other = await h.user('other');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const otherSide = await h.join(other, room.id);
		const hostRecv = await hostSide.client.request('transport:create', { direction: 'recv' });
		expect(await otherSide.client.refusal('transport:restartIce', { transportId: hostRecv.id })).toMatch(
			/^(not_found|forbidden)$/
		);
		expect(await otherSide.client.refusal('transport:restartIce', { transportId: 'no-such-transport' })).toBe(
			'not_found'
		);
		// The owner still can.
		const { iceParameters } = await hostSide.client.request('transport:restartIce', {
			transportId: hostRecv.id,
		});
		expect(iceParameters).toMatchObject({ usernameFragment: expect.any(String) });
	});
});
