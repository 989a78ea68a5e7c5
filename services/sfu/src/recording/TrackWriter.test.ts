import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOggPackets } from '@majlis/loadgen';
import { afterAll, describe, expect, it } from 'vitest';
import { oggCrc, opusPacketSamples } from './OggOpusWriter.js';
import { TrackWriter } from './TrackWriter.js';

const dir = mkdtempSync(join(tmpdir(), 'majlis-track-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 20 ms Opus packets of a 440 Hz tone, encoded by ffmpeg (what a browser's microphone would send).
function tonePackets(seconds: number): Buffer[] {
	const file = join(dir, 'tone.ogg');
	execFileSync('ffmpeg', [
		'-hide_banner',
		'-loglevel',
		'error',
		'-y',
		'-f',
		'lavfi',
		'-i',
		`sine=frequency=440:duration=${seconds}`,
		'-ac',
		'1',
		'-c:a',
		'libopus',
		'-frame_duration',
		'20',
		file,
	]);

	return parseOggPackets(readFileSync(file)).slice(2);
}

// Mono 8 kHz samples of a decoded file.
function decode(file: string): Int16Array {
	const pcm = execFileSync(
		'ffmpeg',
		['-hide_banner', '-loglevel', 'error', '-i', file, '-ac', '1', '-ar', '8000', '-f', 's16le', '-'],
		{
			maxBuffer: 64 * 1024 * 1024,
		}
	);

	return new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
}

function rms(samples: Int16Array, fromS: number, toS: number): number {
	const part = samples.subarray(Math.round(fromS * 8000), Math.round(toS * 8000));
	let sum = 0;
	for (const s of part) {
		sum += s * s;
	}

	return Math.sqrt(sum / Math.max(1, part.length));
}

describe('TrackWriter', () => {
	it('computes the Ogg CRC of the specification (check value of "123456789": POSIX cksum without the final inversion)', () => {
		expect(oggCrc(Buffer.from('123456789')).toString(16)).toBe('89a1897f');
	});

	it('reads frame counts from the Opus TOC byte', () => {
		expect(opusPacketSamples(Buffer.from([0xf8, 0xff, 0xfe]))).toBe(960);
		expect(opusPacketSamples(Buffer.from([0x78 | 1]))).toBe(1920);
		expect(opusPacketSamples(Buffer.from([0x03, 0x03]))).toBe(1440);
	});

	it('places packets by RTP time, fills a mute with silence and pads to the end, so the file lasts as long as the recording', () => {
		const packets = tonePackets(4);
		const startedAt = 1_000_000;
		const track = new TrackWriter('u1', join(dir, 'track.ogg'), startedAt);
		// Voice from 0.5 s to 2.5 s, then a 2 s mute (nothing arrives; the RTP clock jumps), then 1.5 s.
		let seq = 100;
		let ts = 12345;
		const send = (fromMs: number, count: number, offset: number) => {
			for (let i = 0; i < count; i++) {
				track.packet(packets[offset + i]!, seq++ & 0xffff, ts >>> 0, startedAt + fromMs + i * 20);
				ts += 960;
			}
		};
		send(500, 100, 0);
		ts += 48_000 * 7; // a sender's clock after a pause need not match the wall clock
		send(4500, 75, 100);
		track.close(startedAt + 7000);
		expect(track.durationMs).toBeGreaterThanOrEqual(6980);
		const duration = Number(
			execFileSync('ffprobe', [
				'-v',
				'error',
				'-show_entries',
				'format=duration',
				'-of',
				'csv=p=0',
				track.path,
			])
				.toString()
				.trim()
		);
		expect(Math.abs(duration - 7)).toBeLessThan(0.05);
		const samples = decode(track.path);
		expect(rms(samples, 0, 0.45)).toBeLessThan(50);
		expect(rms(samples, 0.7, 2.4)).toBeGreaterThan(1000);
		expect(rms(samples, 2.7, 4.4)).toBeLessThan(50);
		expect(rms(samples, 4.7, 5.9)).toBeGreaterThan(1000);
		expect(rms(samples, 6.2, 7)).toBeLessThan(50);
	});
});
