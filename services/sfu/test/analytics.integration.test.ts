import { setTimeout as sleep } from 'node:timers/promises';
import type { RoomAnalytics } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';

// Host analytics from what really happened in a room: joins, a rejoin, hands and a speaking host.
describe('analytics', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('peak, distinct people, hand raises and the speaking host reach the API when the host ends the room', async () => {
		const host = await h.user('ahost');
		const [a, b, c] = [await h.user('alis1'), await h.user('alis2'), await h.user('alis3')];
		const room = await h.room(host, { speakRequests: 'everyone' });
		const hostSide = await h.speakingHost(host, room.id);
		const sideA = await h.join(a, room.id);
		const sideB = await h.join(b, room.id);
		await sideA.client.request('hand:raise');
		await sideB.client.request('hand:raise');
		// A hand lowered and raised again (after the one-second pause) counts twice.
		await sideA.client.request('hand:lower');
		await sleep(1100);
		await sideA.client.request('hand:raise');
		// 3 at once (host, a, b); c comes after b left: still 3 at the peak, 4 distinct people.
		await sideB.client.close();
		await sleep(300);
		await h.join(c, room.id);
		await sleep(2500);
		await hostSide.client.request('room:end');

		let figures: RoomAnalytics | undefined;
		for (let i = 0; i < 50 && !figures?.uniqueListeners; i++) {
			await sleep(100);
			figures = await h.call<RoomAnalytics>('GET', `/api/rooms/${room.id}/analytics`, host.token);
		}
		expect(figures).toMatchObject({ peakListeners: 3, uniqueListeners: 4, handRaises: 3, replayPlays: 0 });
		const hostSpeaking = figures!.speakers.find((s) => s.userId === host.user.id);
		expect(hostSpeaking?.speakingMs).toBeGreaterThan(1500);
		expect(figures!.speakers.filter((s) => s.userId !== host.user.id)).toEqual([]);
		expect(h.problems()).toEqual([]);
	}, 40_000);
});
