import { CloseCode } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SOCKET_LIMITS } from '../src/signalling/socketLimits.js';
import { type Harness, useHarness } from './support/harness.js';
import type { TestClient } from './support/TestClient.js';

// The per-socket limits with their defaults (20 frames/s, bursts of 40, one hand change a second).
describe('per-socket limits', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	/** Sends `n` requests at once; resolves with each one's outcome (`ok` or the error code). */
	function flood(client: TestClient, n: number): Promise<string[]> {
		return Promise.all(
			Array.from({ length: n }, () =>
				client.request('listeners:list', {}).then(
					() => 'ok',
					(error: Error & { code?: string }) => error.code ?? 'closed'
				)
			)
		);
	}

	test('a burst above the limit gets rate_limited replies, the socket stays usable, others are unaffected', async () => {
		const host = await h.user('host');
		const flooder = await h.user('flooder');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const { client } = await h.join(flooder, room.id);
		const outcomes = await flood(client, 60);
		const ok = outcomes.filter((o) => o === 'ok').length;
		// The join used one token.
		expect(ok).toBeGreaterThanOrEqual(DEFAULT_SOCKET_LIMITS.burst - 1);
		expect(ok).toBeLessThan(50);
		expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'rate_limited')).toBe(true);
		expect(client.open).toBe(true);
		// Others never feel it.
		expect(await flood(hostSide.client, 10)).toEqual(Array(10).fill('ok'));
		// Tokens come back.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await flood(client, 5)).toEqual(Array(5).fill('ok'));
		expect(h.problems()).toEqual([]);
	});

	test('sustained flooding closes the socket with 4008; the user can come back', async () => {
		const host = await h.user('host');
		const flooder = await h.user('flooder');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const { client } = await h.join(flooder, room.id);
		await flood(client, DEFAULT_SOCKET_LIMITS.burst + DEFAULT_SOCKET_LIMITS.abuseThreshold + 10);
		expect(await client.closed).toEqual({ code: CloseCode.PolicyViolation, reason: 'too many messages' });
		expect(await flood(hostSide.client, 5)).toEqual(Array(5).fill('ok'));
		const again = await h.join(flooder, room.id);
		expect(await flood(again.client, 5)).toEqual(Array(5).fill('ok'));
	});

	test('a hand cannot flap: raising again right after lowering is refused with a clear error', async () => {
		const host = await h.user('host');
		const raiser = await h.user('raiser');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const { client } = await h.join(raiser, room.id);
		await client.request('hand:raise');
		await client.request('hand:lower');
		const error = await client.request('hand:raise').catch((e: Error & { code: string }) => e);
		expect(error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/once a second/) });
		await new Promise((resolve) => setTimeout(resolve, DEFAULT_SOCKET_LIMITS.handIntervalMs));
		await client.request('hand:raise');
		// Moderators saw raise, lower, raise: the refused flip never reached them.
		await hostSide.client.waitFor('hand:raised', () => true, { from: 0 });
		await expect.poll(() => hostSide.client.all('hand:raised').length).toBe(2);
		expect(hostSide.client.all('hand:lowered')).toHaveLength(1);
	});
});

describe('rejoin grace of stage members', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('a speaker whose connection drops keeps seat and mute state; one who leaves loses it', async () => {
		const host = await h.user('host');
		const speaker = await h.user('speaker');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const speakerSide = await h.join(speaker, room.id);
		await hostSide.client.request('stage:invite', { userId: speaker.user.id });
		await speakerSide.client.request('stage:accept');
		await speakerSide.client.request('mic:unmute');
		const mark = hostSide.client.mark;
		speakerSide.client.terminate();
		await expect.poll(() => h.node.sfu.room(room.id)?.peerCount).toBe(1);
		// The seat stays (shown without audio) and nobody is told the speaker left the stage.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(hostSide.client.all('stage:left', mark)).toEqual([]);
		const back = await h.join(speaker, room.id, 'speaker-back');
		expect(back.snapshot.self).toMatchObject({ onStage: true, muted: false, role: 'speaker' });

		await back.client.request('session:leave');
		expect(await hostSide.client.waitFor('stage:left')).toEqual({ userId: speaker.user.id });
		const later = await h.join(speaker, room.id, 'speaker-later');
		expect(later.snapshot.self).toMatchObject({ onStage: false, role: 'listener' });
		expect(h.problems()).toEqual([]);
	});
});
