import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOggPackets } from '@majlis/loadgen';
import { afterAll, describe, expect, it } from 'vitest';
import { OggOpusWriter, OPUS_SILENCE_20MS, SILENCE_SAMPLES } from './OggOpusWriter.js';
import { recoverCapture, wholeOggPages } from './recoverCapture.js';

const dir = mkdtempSync(join(tmpdir(), 'majlis-recover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 20 ms Opus packets of a 440 Hz tone, encoded by ffmpeg.
function tonePackets(): Buffer[] {
	const file = join(dir, 'tone.ogg');
	execFileSync('ffmpeg', [
		...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2'],
		...['-ac', '1', '-c:a', 'libopus', '-frame_duration', '20', file],
	]);

	return parseOggPackets(readFileSync(file)).slice(2);
}

// A track as a killed node leaves it: 1 s of silence, then 2 s of tone, pages of 10 packets, and half of
// a page that was being written.
function killedTrack(): { data: Buffer; wholeLength: number; samples: number } {
	const pages: Buffer[] = [];
	const ogg = new OggOpusWriter((page) => pages.push(page), { packetsPerPage: 10 });
	for (let i = 0; i < 50; i++) {
		ogg.write(OPUS_SILENCE_20MS, SILENCE_SAMPLES);
	}
	const tone = tonePackets();
	for (const packet of tone) {
		ogg.write(packet, 960);
	}
	ogg.flush();
	const whole = Buffer.concat(pages);
	ogg.write(OPUS_SILENCE_20MS, SILENCE_SAMPLES);
	ogg.end();
	const last = pages.at(-1)!;

	return {
		data: Buffer.concat([whole, last.subarray(0, last.length - 2)]),
		wholeLength: whole.length,
		samples: (50 + tone.length) * 960,
	};
}

describe('recovering a lost capture', () => {
	it('keeps the whole pages of a track cut mid-page, with their length and where the voice starts', () => {
		const { data, wholeLength, samples } = killedTrack();
		const pages = wholeOggPages(data);
		expect(pages.length).toBe(wholeLength);
		expect(pages.granule).toBe(samples);
		expect(pages.firstAudio).toBe(48_000);
		expect(wholeOggPages(Buffer.from('not an ogg file'))).toEqual({
			length: 0,
			granule: 0,
			firstAudio: null,
		});
	});

	it('a capture folder becomes a result: tracks cut and decodable, the checkpointed timeline, the longest length', () => {
		const capture = join(dir, 'capture');
		mkdirSync(capture);
		const { data, wholeLength, samples } = killedTrack();
		const lengthMs = samples / 48;
		const userId = '00000000-0000-4000-8000-000000000001';
		writeFileSync(join(capture, `track-${userId}.ogg`), data);
		const timeline = {
			startedAt: 1,
			durationMs: 2500,
			people: [],
			stage: [{ userId, fromMs: 0, toMs: 2500 }],
			speaking: [],
			muted: [],
			events: [],
			chat: [],
		};
		writeFileSync(join(capture, 'checkpoint.json'), JSON.stringify(timeline));

		return recoverCapture(capture, { id: 'r', roomId: 'room', nodeId: 'n', startedAt: 1 }).then((result) => {
			expect(statSync(join(capture, `track-${userId}.ogg`)).size).toBe(wholeLength);
			expect(result.tracks).toEqual([
				expect.objectContaining({
					userId,
					durationMs: lengthMs,
					firstAudioMs: 1000,
					file: `track-${userId}.ogg`,
				}),
			]);
			expect(result.durationMs).toBe(lengthMs);
			expect(result.timeline.stage).toEqual(timeline.stage);
			// ffmpeg reads the cut file to its end without an error.
			const seconds = execFileSync('ffprobe', [
				...['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0'],
				join(capture, `track-${userId}.ogg`),
			]).toString();
			expect(Math.abs(Number(seconds) - lengthMs / 1000)).toBeLessThan(0.05);
		});
	});
});
