import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RecordingTimeline, type RecordingView, roomNodeKey } from '@majlis/protocol';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decode, meanPower, peak, toneFrames } from './support/audio.js';
import { addGuest } from './support/faults.js';
import { Harness } from './support/harness.js';
import { Participant } from './support/Participant.js';

const work = mkdtempSync(join(tmpdir(), 'majlis-recording-crash-'));
// Every worker this file starts (the SFU in-process shares this mediasoup module).
const workers: types.Worker[] = [];
mediasoup.observer.on('newworker', (worker: types.Worker) => workers.push(worker));

// A recording survives the death of the worker hosting its room: the capture taps the room again on the
// new worker, the time between is silence, and the tracks stay aligned.
describe('a worker dies while a room is recorded', () => {
	let h: Harness;
	const people: Participant[] = [];

	beforeAll(async () => {
		process.env.DATA_DIR = work;
		h = await Harness.start({ numWorkers: 1, recordingDir: join(work, 'capture') });
	});

	afterAll(async () => {
		await Promise.all(people.map((p) => p.close()));
		await h?.close();
		rmSync(work, { recursive: true, force: true });
	});

	test('SIGKILL: the recording ends ready, tracks aligned, the gap silent, the voices on both sides of it', async () => {
		const host = await h.user('chost');
		const speaker = await h.user('cspeaker');
		// Recording is chosen while the room is scheduled.
		const recorded = await h.call<{ id: string }>('POST', '/api/rooms', host.token, {
			title: 'Crash',
			visibility: 'public',
		});
		await h.call('PUT', `/api/rooms/${recorded.id}/recordings/setting`, host.token, { enabled: true });
		await addGuest(h, host, recorded.id, speaker, 'speaker');
		await h.call('POST', `/api/rooms/${recorded.id}/start`, host.token);
		await h.bus.set(roomNodeKey(recorded.id), h.node.sfu.nodeId);

		const hostP = await Participant.join(h, host, recorded.id, {
			speak: true,
			frames: toneFrames(work, 440),
			retryMs: 100,
		});
		people.push(hostP);
		await hostP.client.request('mic:unmute');
		const speakerP = await Participant.join(h, speaker, recorded.id, {
			speak: true,
			frames: toneFrames(work, 880),
			retryMs: 100,
		});
		people.push(speakerP);
		if (!speakerP.snapshot.self.onStage) {
			await hostP.client.request('stage:invite', { userId: speaker.user.id });
			await speakerP.client.request('stage:accept');
			await speakerP.startSpeaking();
		}
		await speakerP.client.request('mic:unmute');

		const started = await hostP.client.request('recording:start');
		await sleep(3000);
		const victim = workers.filter((w) => !w.closed);
		expect(victim).toHaveLength(1);
		const killedAt = Date.now();
		const killedPerf = performance.now();
		process.kill(victim[0]!.pid, 'SIGKILL');

		// Both rejoin on the new worker and produce again; the recording goes on.
		await expect.poll(() => hostP.rejoins + speakerP.rejoins, { timeout: 20_000 }).toBe(2);
		await hostP.settled();
		await speakerP.settled();
		expect(hostP.snapshot.recording?.id).toBe(started.id);
		await sleep(4000);
		await hostP.client.request('recording:stop');
		const stoppedAt = Date.now();
		await h.node.sfu.recordings.settled();

		const { items } = await h.call<{ items: RecordingView[] }>(
			'GET',
			`/api/rooms/${recorded.id}/recordings`,
			host.token
		);
		expect(items).toHaveLength(1);
		const recording = items[0]!;
		expect(recording.state).toBe('ready');
		const recordedS = (stoppedAt - started.startedAt) / 1000;
		expect(Math.abs(recording.durationMs! / 1000 - recordedS)).toBeLessThan(1);
		expect(recording.tracks).toHaveLength(2);

		const killS = (killedAt - started.startedAt) / 1000;
		// When each speaker's rejoin (new producer, tone again) completed, in recording time.
		const rejoinS = (p: Participant) => killS + (p.rejoinedAt[0]! - killedPerf) / 1000;
		const trackOf = async (userId: string) => {
			const url = recording.tracks!.find((t) => t.userId === userId)!.audioUrl;
			return decode(Buffer.from(await (await fetch(`${h.apiUrl}${url}`)).arrayBuffer()));
		};
		const hostTrack = await trackOf(host.user.id);
		const speakerTrack = await trackOf(speaker.user.id);
		// Aligned: the same length (±1 s), as long as the recording.
		expect(Math.abs(hostTrack.length - speakerTrack.length) / 8000).toBeLessThan(1);
		expect(Math.abs(hostTrack.length / 8000 - recordedS)).toBeLessThan(1);
		for (const [track, hz, other, p] of [
			[hostTrack, 440, 880, hostP],
			[speakerTrack, 880, 440, speakerP],
		] as const) {
			// Before the crash: the speaker's own tone, not the other's.
			expect(meanPower(track, hz, 1, killS - 0.3)).toBeGreaterThan(1e-4);
			expect(meanPower(track, hz, 1, killS - 0.3)).toBeGreaterThan(
				100 * meanPower(track, other, 1, killS - 0.3)
			);
			// The voice comes back where it was spoken again: after the crash, by the rejoin's end.
			const from = Math.round((killS + 0.1) * 8000);
			const resume = track.findIndex((x, i) => i >= from && Math.abs(x) > 0.01) / 8000;
			console.info(
				`[majlis] ${hz} Hz track: worker killed at ${killS.toFixed(2)} s, rejoined at ${rejoinS(p).toFixed(2)} s, voice again at ${resume.toFixed(2)} s`
			);
			expect(resume - killS).toBeGreaterThan(0.2);
			expect(resume).toBeLessThan(rejoinS(p) + 0.5);
			// The gap is silence (Opus silence frames decode to zeros), not noise or a click.
			expect(peak(track, killS + 0.15, resume - 0.05)).toBeLessThan(1e-3);
			expect(meanPower(track, hz, resume + 0.5, recordedS - 0.5)).toBeGreaterThan(1e-4);
			expect(meanPower(track, hz, resume + 0.5, recordedS - 0.5)).toBeGreaterThan(
				100 * meanPower(track, other, resume + 0.5, recordedS - 0.5)
			);
		}
		// The timeline marks the gap where the worker died.
		const timeline = (await (await fetch(`${h.apiUrl}${recording.timelineUrl}`)).json()) as RecordingTimeline;
		const gap = timeline.events.find((e) => e.type === 'gap');
		expect(gap).toBeDefined();
		expect(Math.abs(gap!.atMs / 1000 - killS)).toBeLessThan(1);
	}, 90_000);
});
