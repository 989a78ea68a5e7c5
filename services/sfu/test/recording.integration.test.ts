import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RecordingTimeline, type RecordingView, roomNodeKey } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decode, power, toneFrames as tone } from './support/audio.js';
import { Harness } from './support/harness.js';

const work = mkdtempSync(join(tmpdir(), 'majlis-recording-test-'));

// Recording end to end on a real worker: werift speakers, the SFU's capture, ffmpeg, the API's store.
describe('recording', () => {
	let h: Harness;

	beforeAll(async () => {
		process.env.DATA_DIR = work;
		h = await Harness.start({ recordingDir: join(work, 'capture') });
	});

	afterAll(async () => {
		await h?.close();
		rmSync(work, { recursive: true, force: true });
	});

	async function get(path: string, token?: string, headers: Record<string, string> = {}) {
		return fetch(`${h.apiUrl}${path}`, {
			headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
		});
	}

	test('host (440 Hz) and speaker (880 Hz, muted for 2 s) give two aligned tracks, a mix, a timeline, and range requests; strangers get 403 for a private room', async () => {
		const host = await h.user('rhost');
		const speaker = await h.user('rspeaker');
		const stranger = await h.user('rstranger');
		const room = await h.call<{ id: string }>('POST', '/api/rooms', host.token, {
			title: 'Recorded',
			visibility: 'private',
		});
		await h.call('PUT', `/api/rooms/${room.id}/recordings/setting`, host.token, { enabled: true });
		await h.call('PUT', `/api/rooms/${room.id}/guests/${speaker.user.id}`, host.token, { kind: 'speaker' });
		await h.call('POST', `/api/rooms/${room.id}/start`, host.token);
		await h.bus.set(roomNodeKey(room.id), h.node.sfu.nodeId);

		const hostSide = await h.join(host, room.id);
		await h.speak(hostSide, { level: 10, frames: tone(work, 440) });
		const speakerSide = await h.join(speaker, room.id);
		await h.speak(speakerSide, { host: hostSide.client, level: 10, frames: tone(work, 880) });

		const started = await hostSide.client.request('recording:start');
		expect(started.id).toEqual(expect.any(String));
		await speakerSide.client.waitFor('recording:state', (d) => d.recording?.id === started.id);
		await sleep(3000);
		await speakerSide.client.request('mic:mute');
		await sleep(2000);
		await speakerSide.client.request('mic:unmute');
		await sleep(3000);
		await hostSide.client.request('recording:stop');
		const stoppedAt = Date.now();
		await speakerSide.client.waitFor('recording:state', (d) => d.recording === null);
		await h.node.sfu.recordings.settled();
		const recordedS = (stoppedAt - started.startedAt) / 1000;

		const { items } = await h.call<{ items: RecordingView[] }>(
			'GET',
			`/api/rooms/${room.id}/recordings`,
			host.token
		);
		expect(items).toHaveLength(1);
		const recording = items[0]!;
		expect(recording).toMatchObject({ id: started.id, state: 'ready' });
		expect(Math.abs(recording.durationMs! / 1000 - recordedS)).toBeLessThan(1);
		expect(recording.tracks).toHaveLength(2);

		// The mix: served with range requests, decodes, as long as the recording.
		const full = await get(recording.audioUrl!);
		expect(full.status).toBe(200);
		const mix = Buffer.from(await full.arrayBuffer());
		const part = await get(recording.audioUrl!, undefined, { range: 'bytes=100-199' });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 100-199/${mix.length}`);
		expect(Buffer.from(await part.arrayBuffer())).toEqual(mix.subarray(100, 200));
		const mixSamples = decode(mix);
		expect(Math.abs(mixSamples.length / 8000 - recordedS)).toBeLessThan(1);
		expect(power(mixSamples, 440, 1, 2.5)).toBeGreaterThan(1e-4);
		expect(power(mixSamples, 880, 1, 2.5)).toBeGreaterThan(1e-4);

		// Each track holds its own voice, and the speaker's holds silence while muted.
		const trackOf = async (userId: string) => {
			const url = recording.tracks!.find((t) => t.userId === userId)!.audioUrl;
			return decode(Buffer.from(await (await get(url)).arrayBuffer()));
		};
		const hostTrack = await trackOf(host.user.id);
		const speakerTrack = await trackOf(speaker.user.id);
		expect(Math.abs(hostTrack.length - speakerTrack.length) / 8000).toBeLessThan(1);
		expect(power(hostTrack, 440, 1, 2.5)).toBeGreaterThan(100 * power(hostTrack, 880, 1, 2.5));
		expect(power(speakerTrack, 880, 1, 2.5)).toBeGreaterThan(100 * power(speakerTrack, 440, 1, 2.5));
		expect(power(speakerTrack, 880, 3.6, 4.6)).toBeLessThan(power(speakerTrack, 880, 1, 2.5) / 1000);
		expect(power(speakerTrack, 880, 6, 7.5)).toBeGreaterThan(1e-4);

		// The timeline: both on stage, speaking intervals, the speaker's mute about 3 s in.
		const timeline = (await (await get(recording.timelineUrl!)).json()) as RecordingTimeline;
		expect(timeline.stage.map((s) => s.userId).sort()).toEqual([host.user.id, speaker.user.id].sort());
		const muted = timeline.muted.find((m) => m.userId === speaker.user.id)!;
		expect(muted.fromMs).toBeGreaterThan(2500);
		expect(muted.toMs! - muted.fromMs).toBeGreaterThan(1500);
		expect(timeline.speaking.filter((s) => s.userId === speaker.user.id).length).toBeGreaterThanOrEqual(2);
		expect(timeline.speaking.some((s) => s.userId === host.user.id)).toBe(true);

		// Who may listen follows the room's visibility.
		expect((await get(`/api/rooms/${room.id}/recordings`, stranger.token)).status).toBe(403);
		const asGuest = await h.call<{ items: RecordingView[] }>(
			'GET',
			`/api/rooms/${room.id}/recordings`,
			speaker.token
		);
		expect(asGuest.items[0]!.tracks).toBeUndefined();
		expect((await get(recording.audioUrl!.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);

		// The host deletes it: files and rows.
		const del = await fetch(`${h.apiUrl}/api/recordings/${recording.id}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${speaker.token}` },
		});
		expect(del.status).toBe(403);
		await h.call('DELETE', `/api/recordings/${recording.id}`, host.token);
		expect((await get(recording.audioUrl!)).status).toBe(404);
		expect(h.problems()).toEqual([]);
	}, 60_000);
});
