import { performance } from 'node:perf_hooks';
import { CloseCode } from '@majlis/protocol';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addGuest, appoint, durableRecord, selfOf } from './support/faults.js';
import { Harness } from './support/harness.js';
import { Participant } from './support/Participant.js';

/** The bound of the issue: audio is back within 5 s of a worker crash. */
const AUDIO_BACK_WITHIN_MS = 5000;

// Every worker this test file starts (the SFU in-process shares this mediasoup module).
const workers: types.Worker[] = [];
mediasoup.observer.on('newworker', (worker: types.Worker) => workers.push(worker));

describe('a mediasoup worker dies mid-room', () => {
	let h: Harness;
	const people: Participant[] = [];

	beforeAll(async () => {
		h = await Harness.start({ numWorkers: 1 });
	});

	afterAll(async () => {
		await Promise.all(people.map((p) => p.close()));
		await h?.close();
	});

	test('SIGKILL: the worker is replaced, everyone rejoins with role and mute state, audio flows again', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const speaker = await h.user('speaker');
		const listener = await h.user('listener');
		const guest = await h.user('guest');
		const banned = await h.user('banned');
		const room = await h.room(host);
		await appoint(h, host, room.id, 'cohosts', cohost);
		await addGuest(h, host, room.id, guest, 'speaker');

		const hostP = await Participant.join(h, host, room.id, { speak: true });
		const cohostP = await Participant.join(h, cohost, room.id, { speak: true });
		const speakerP = await Participant.join(h, speaker, room.id, { speak: true });
		const listenerP = await Participant.join(h, listener, room.id, { listen: true });
		people.push(hostP, cohostP, speakerP, listenerP);
		// A ban (persisted in Postgres through the API) that must survive the crash.
		const bannedSide = await h.join(banned, room.id);
		await hostP.client.request('peer:remove', { userId: banned.user.id });
		expect((await bannedSide.client.closed).code).toBe(CloseCode.Removed);

		await hostP.client.request('stage:invite', { userId: speaker.user.id });
		await speakerP.client.request('stage:accept');
		await speakerP.startSpeaking();
		await speakerP.client.request('mic:unmute');
		await cohostP.client.request('mic:unmute');
		await hostP.client.request('speaker:mute', { userId: cohost.user.id });
		await expect.poll(() => listenerP.received(speaker.user.id), { timeout: 10_000 }).toBeGreaterThan(20);
		const before = await durableRecord(h, room.id);
		expect(before.banned).toEqual([banned.user.id]);

		const victim = workers.filter((w) => !w.closed);
		expect(victim).toHaveLength(1);
		const started = performance.now();
		process.kill(victim[0]!.pid, 'SIGKILL');

		// Everyone is told to move and rejoins on their own; the listener hears the speaker again.
		await expect.poll(() => listenerP.rejoins, { timeout: AUDIO_BACK_WITHIN_MS * 2 }).toBe(1);
		await expect
			.poll(() => listenerP.received(speaker.user.id), { timeout: AUDIO_BACK_WITHIN_MS * 2, interval: 20 })
			.toBeGreaterThan(5);
		const elapsed = performance.now() - started;
		console.info(
			`[majlis] worker SIGKILL → listener hears the speaker again after ${Math.round(elapsed)} ms`
		);
		expect(elapsed).toBeLessThan(AUDIO_BACK_WITHIN_MS);

		for (const p of [hostP, cohostP, speakerP, listenerP]) {
			await p.settled();
			expect(p.closes).toEqual([CloseCode.Moving]);
			expect(p.rejoins).toBe(1);
		}
		// Roles, stage seats and mute states as they were.
		expect(selfOf(hostP)).toEqual([host.user.id, 'host', true, true]);
		expect(selfOf(cohostP)).toEqual([cohost.user.id, 'cohost', true, true]);
		expect(selfOf(speakerP)).toEqual([speaker.user.id, 'speaker', true, false]);
		expect(selfOf(listenerP)).toEqual([listener.user.id, 'listener', false, true]);
		// A new worker took over, and the banned user stays out.
		expect(workers.filter((w) => !w.closed)).toHaveLength(1);
		expect(victim[0]!.died).toBe(true);
		const refused = await h.call<{ error: { code: string } }>(
			'POST',
			`/api/rooms/${room.id}/join`,
			banned.token,
			undefined,
			[403]
		);
		expect(refused.error.code).toBe('banned');
		// Postgres is intact.
		expect(await durableRecord(h, room.id)).toEqual(before);
		expect(h.problems()).toEqual([]);
	}, 60_000);
});
