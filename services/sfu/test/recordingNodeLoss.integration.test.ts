import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RecordingTimeline, type RecordingView, roomNodeKey } from '@majlis/protocol';
import { afterAll, describe, expect, test } from 'vitest';
import { decode, meanPower as power, toneFrames } from './support/audio.js';
import { addGuest } from './support/faults.js';
import { isolatedRedisUrl, JWT_SECRET } from './support/harness.js';
import { useProcessSuite } from './support/processSuite.js';
import { SfuProcess } from './support/SfuProcess.js';

// A Redis database of its own: no other file's nodes take this file's room.
const REDIS_URL = isolatedRedisUrl(15);
const work = mkdtempSync(join(tmpdir(), 'majlis-recording-loss-'));
process.env.DATA_DIR = work;

if (!REDIS_URL) {
	console.warn('[majlis] recording node-loss test skipped: SFU processes meet the API only through Redis');
}

// The SFU node recording a room is SIGKILLed: what it wrote is kept and, when the node starts again,
// finished as a `partial` recording (mix, peaks, timeline as last checkpointed, the tracks so far).
describe.skipIf(!REDIS_URL)('the recording node is lost', () => {
	const suite = useProcessSuite(REDIS_URL);
	const nodeId = `0000-${randomBytes(3).toString('hex')}-rec`;
	const captureDir = join(work, 'capture');

	afterAll(() => rmSync(work, { recursive: true, force: true }));

	const startNode = async () => {
		const node = await SfuProcess.start({
			nodeId,
			apiUrl: suite.h.apiUrl,
			redisUrl: REDIS_URL!,
			jwtSecret: JWT_SECRET,
			env: { RECORDING_DIR: captureDir },
		});
		suite.processes.push(node);

		return node;
	};

	test('SIGKILL mid-recording, then a restart: the recording is partial, with aligned tracks up to the loss', async () => {
		const { h } = suite;
		let node = await startNode();
		const host = await h.user('lhost');
		const speaker = await h.user('lspeaker');
		const room = await h.call<{ id: string }>('POST', '/api/rooms', host.token, {
			title: 'Lost node',
			visibility: 'public',
		});
		await h.call('PUT', `/api/rooms/${room.id}/recordings/setting`, host.token, { enabled: true });
		await addGuest(h, host, room.id, speaker, 'speaker');
		await h.call('POST', `/api/rooms/${room.id}/start`, host.token);
		await h.bus.set(roomNodeKey(room.id), nodeId);

		const hostSide = await h.join(host, room.id);
		const hostSend = await h.speak(hostSide, { level: 10, frames: toneFrames(work, 440) });
		const speakerSide = await h.join(speaker, room.id);
		const speakerSend = await h.speak(speakerSide, {
			host: hostSide.client,
			level: 10,
			frames: toneFrames(work, 880),
		});

		const started = await hostSide.client.request('recording:start');
		await sleep(5000);
		const killedAt = Date.now();
		node.kill('SIGKILL');
		await node.exited;
		hostSend.stopTone();
		speakerSend.stopTone();
		// What the dead node wrote is on its disk, unfinished.
		expect(readdirSync(join(captureDir, started.id)).sort()).toEqual(
			expect.arrayContaining(['capture.json', 'checkpoint.json', `track-${host.user.id}.ogg`])
		);
		const list = async () =>
			(await h.call<{ items: RecordingView[] }>('GET', `/api/rooms/${room.id}/recordings`, host.token))
				.items[0]!;
		// Once the node has left the registry (3 s without a heartbeat), the API lists the recording partial.
		await expect.poll(async () => (await list()).state, { timeout: 15_000, interval: 250 }).toBe('partial');
		expect((await list()).tracks ?? []).toEqual([]);

		// The node starts again and finishes what it lost: the files and tracks come.
		node = await startNode();
		await expect
			.poll(async () => (await list()).tracks?.length ?? 0, { timeout: 60_000, interval: 250 })
			.toBe(2);
		const recording = await list();
		expect(recording.state).toBe('partial');
		expect(existsSync(join(captureDir, started.id))).toBe(false);

		// Tracks are flushed about every second, a second behind: the loss costs at most ~2.5 s.
		const killS = (killedAt - started.startedAt) / 1000;
		const lengthS = recording.durationMs! / 1000;
		console.info(
			`[majlis] node killed ${killS.toFixed(2)} s into the recording; ${lengthS.toFixed(2)} s kept`
		);
		expect(lengthS).toBeGreaterThan(killS - 2.5);
		expect(lengthS).toBeLessThan(killS + 0.5);
		expect(recording.tracks).toHaveLength(2);
		const fetchAudio = async (url: string) =>
			decode(Buffer.from(await (await fetch(`${h.apiUrl}${url}`)).arrayBuffer()));
		const mix = await fetchAudio(recording.audioUrl!);
		expect(Math.abs(mix.length / 8000 - lengthS)).toBeLessThan(1);
		const trackOf = (userId: string) =>
			fetchAudio(recording.tracks!.find((t) => t.userId === userId)!.audioUrl);
		const hostTrack = await trackOf(host.user.id);
		const speakerTrack = await trackOf(speaker.user.id);
		expect(Math.abs(hostTrack.length - speakerTrack.length) / 8000).toBeLessThan(1);
		expect(power(hostTrack, 440, 1, lengthS - 0.5)).toBeGreaterThan(
			100 * power(hostTrack, 880, 1, lengthS - 0.5)
		);
		expect(power(speakerTrack, 880, 1, lengthS - 0.5)).toBeGreaterThan(
			100 * power(speakerTrack, 440, 1, lengthS - 0.5)
		);
		expect(power(mix, 440, 1, lengthS - 0.5)).toBeGreaterThan(1e-4);
		// The timeline as last checkpointed: both on stage.
		const timeline = (await (await fetch(`${h.apiUrl}${recording.timelineUrl}`)).json()) as RecordingTimeline;
		expect(timeline.stage.map((s) => s.userId).sort()).toEqual([host.user.id, speaker.user.id].sort());
		expect(timeline.durationMs).toBe(recording.durationMs);
		await node.terminate();
	}, 120_000);
});
