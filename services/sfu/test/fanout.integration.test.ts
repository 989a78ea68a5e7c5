import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';
import { RecvTransport } from './support/webrtc.js';

// One room across two workers: the origin worker takes listeners up to its consumer limit, the next ones
// go to an edge router on the other worker fed by pipeToRouter. Real WebRTC (werift) on both sides.
describe('fan-out across workers', () => {
	let h: Harness;
	useHarness(
		(started) => {
			h = started;
		},
		{ numWorkers: 2, maxConsumersPerWorker: 2 }
	);

	test('listeners beyond the origin worker’s limit are served from an edge router, and all hear the stage', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const hostSide = await h.speakingHost(host, room.id);

		const listeners: { userId: string; recv: RecvTransport }[] = [];
		for (let i = 0; i < 4; i++) {
			const user = await h.user(`listener${i}`);
			const side = await h.join(user, room.id);
			const recv = await RecvTransport.create(side.client);
			h.defer(() => recv.close());
			await side.client.waitFor('consumer:new');
			listeners.push({ userId: user.user.id, recv });
		}

		const live = h.node.sfu.room(room.id);
		const placement = live?.receivePlacement() ?? [];
		const pids = new Set(placement.map((p) => p.workerPid));
		expect(pids.size).toBe(2);
		// The origin worker fills first (2 consumers), the rest go to the edge.
		expect(placement.filter((p) => !p.edge).length).toBe(2);
		expect(placement.filter((p) => p.edge).length).toBe(2);

		for (const { recv } of listeners) {
			await expect.poll(() => recv.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(20);
			expect(recv.errors).toEqual([]);
		}

		// Muting pauses the origin producer; the pipe producers follow, so edge listeners get nothing either.
		await hostSide.client.request('mic:mute');
		await sleep(400);
		const before = listeners.map((l) => l.recv.received(host.user.id));
		await sleep(600);
		expect(listeners.map((l) => l.recv.received(host.user.id))).toEqual(before);

		await hostSide.client.request('mic:unmute');
		for (const { recv } of listeners) {
			const at = recv.received(host.user.id);
			await expect.poll(() => recv.received(host.user.id), { timeout: 10_000 }).toBeGreaterThan(at + 5);
		}
		expect(h.problems()).toEqual([]);
	});

	test('plain RTP transports are refused unless the node allows them (they send RTP to any address)', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		expect(
			await client.refusal('plain:create', { direction: 'recv', remote: { ip: '127.0.0.1', port: 9 } })
		).toBe('forbidden');
		expect(h.node.sfu.room(room.id)?.receivePlacement()).toEqual([]);
	});
});
