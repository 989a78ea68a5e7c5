import type { RoomAnalytics } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	appointStageRoles,
	call,
	createRoom,
	expectStatus,
	type Harness,
	setup,
	signup,
	type TestUser,
} from './helper.js';

let h: Harness;
let sfu: string;
beforeAll(async () => {
	h = await setup();
	sfu = await h.app.tokens.signServiceToken('sfu');
});
afterAll(() => h?.close());

async function liveRoom() {
	const [host, cohost, moderator, speaker, listener, stranger] = await Promise.all(
		Array.from({ length: 6 }, () => signup(h.app))
	);
	const room = await createRoom(h.app, host!.token, { title: 'Figures', speakRequests: 'invited' });
	await appointStageRoles(h.app, host!, room.id, { cohost, moderator, speaker });
	await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/guests/${listener!.user.id}`, {
		token: host!.token,
		body: { kind: 'listener' },
	});
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host!.token });

	return {
		room,
		host: host!,
		cohost: cohost!,
		moderator: moderator!,
		speaker: speaker!,
		listener: listener!,
		stranger: stranger!,
	};
}

describe('GET /api/rooms/:id/analytics', () => {
	test('the SFU tally, the duration and replay plays come back to host, co-hosts and moderators only', async () => {
		const people = await liveRoom();
		const { room, host, speaker } = people;
		await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/analytics`, {
			token: sfu,
			body: {
				peakListeners: 4,
				uniqueListeners: 5,
				handRaises: 2,
				speakers: [
					{ userId: speaker.user.id, speakingMs: 1200 },
					{ userId: host.user.id, speakingMs: 4500 },
				],
			},
		});
		await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/end`, {
			token: sfu,
			body: { by: host.user.id },
		});

		const matrix: [TestUser | null, number][] = [
			[people.host, 200],
			[people.cohost, 200],
			[people.moderator, 200],
			[people.speaker, 403],
			[people.listener, 403],
			[people.stranger, 403],
			[null, 401],
		];
		for (const [who, status] of matrix) {
			const res = await call(h.app, 'GET', `/api/rooms/${room.id}/analytics`, { token: who?.token });
			expect(res.status, who?.user.handle ?? 'anonymous').toBe(status);
		}
		const figures = await expectStatus<RoomAnalytics>(200, h.app, 'GET', `/api/rooms/${room.id}/analytics`, {
			token: host.token,
		});
		expect(figures).toMatchObject({ peakListeners: 4, uniqueListeners: 5, handRaises: 2, replayPlays: 0 });
		// Longest speaker first.
		expect(figures.speakers).toEqual([
			{ userId: host.user.id, speakingMs: 4500, displayName: host.user.displayName },
			{ userId: speaker.user.id, speakingMs: 1200, displayName: speaker.user.displayName },
		]);
		expect(figures.durationMs).toBeGreaterThanOrEqual(0);
	});

	test('a live room has no figures yet (409), an unknown room is 404, a second report keeps the larger counts', async () => {
		const { room, host } = await liveRoom();
		expect((await call(h.app, 'GET', `/api/rooms/${room.id}/analytics`, { token: host.token })).status).toBe(
			409
		);
		expect(
			(await call(h.app, 'GET', `/api/rooms/${crypto.randomUUID()}/analytics`, { token: host.token })).status
		).toBe(404);
		const url = `/api/internal/rooms/${room.id}/analytics`;
		await expectStatus(204, h.app, 'POST', url, {
			token: sfu,
			body: { peakListeners: 3, uniqueListeners: 3, handRaises: 1, speakers: [] },
		});
		await expectStatus(204, h.app, 'POST', url, {
			token: sfu,
			body: { peakListeners: 2, uniqueListeners: 6, handRaises: 0, speakers: [] },
		});
		await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/end`, {
			token: sfu,
			body: { by: null },
		});
		const figures = await expectStatus<RoomAnalytics>(200, h.app, 'GET', `/api/rooms/${room.id}/analytics`, {
			token: host.token,
		});
		expect(figures).toMatchObject({ peakListeners: 3, uniqueListeners: 6, handRaises: 1 });
	});

	test('the internal report takes only a service token and a valid body', async () => {
		const { room, host } = await liveRoom();
		const url = `/api/internal/rooms/${room.id}/analytics`;
		const body = { peakListeners: 1, uniqueListeners: 1, handRaises: 0, speakers: [] };
		expect((await call(h.app, 'POST', url, { token: host.token, body })).status).toBe(401);
		expect(
			(await call(h.app, 'POST', url, { token: sfu, body: { ...body, peakListeners: -1 } })).status
		).toBe(400);
		expect(
			(
				await call(h.app, 'POST', `/api/internal/rooms/${crypto.randomUUID()}/analytics`, {
					token: sfu,
					body,
				})
			).status
		).toBe(404);
	});
});
