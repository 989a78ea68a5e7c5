import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingPeaks } from '@majlis/protocol';
import type { CaptureResult } from './RoomRecorder.js';

/** File names of a recording's products, beside the tracks. */
export const MIX_FILE = 'mix.ogg';
/** The timeline (JSON). */
export const TIMELINE_FILE = 'timeline.json';
/** The waveform peaks (JSON). */
export const PEAKS_FILE = 'peaks.json';

const PEAK_INTERVAL_MS = 100;
const PEAK_RATE = 8000;

// Runs ffmpeg, resolving with its stdout; rejects with the end of stderr when it fails.
function ffmpeg(args: string[]): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const out: Buffer[] = [];
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => {
			err = (err + chunk.toString()).slice(-2000);
		});
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg exited with ${code}: ${err}`))
		);
	});
}

/**
 * The mix of a capture's tracks (each already aligned to time 0, so they are summed as they are), as
 * Ogg/Opus in `dir`; a silent file of the recording's length when nobody spoke.
 */
export async function mixTracks(dir: string, capture: CaptureResult): Promise<string> {
	const out = join(dir, MIX_FILE);
	const seconds = (capture.durationMs / 1000).toFixed(3);
	const inputs = capture.tracks.flatMap((track) => ['-i', track.path]);
	const filter =
		capture.tracks.length === 0
			? ['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono']
			: [
					...inputs,
					'-filter_complex',
					`amix=inputs=${capture.tracks.length}:duration=longest:normalize=0,apad`,
				];
	await ffmpeg(['-y', ...filter, '-t', seconds, '-ac', '1', '-c:a', 'libopus', '-b:a', '48k', out]);

	return out;
}

/** The loudest sample of every 100 ms of `file` (0–255), for the player's waveform. */
export async function peaksOf(file: string): Promise<RecordingPeaks> {
	const pcm = await ffmpeg(['-i', file, '-ac', '1', '-ar', String(PEAK_RATE), '-f', 's16le', '-']);
	const window = (PEAK_RATE * PEAK_INTERVAL_MS) / 1000;
	const peaks: number[] = [];
	for (let at = 0; at + 1 < pcm.length; at += window * 2) {
		let max = 0;
		const end = Math.min(pcm.length - 1, at + window * 2);
		for (let i = at; i < end; i += 2) {
			max = Math.max(max, Math.abs(pcm.readInt16LE(i)));
		}
		peaks.push(Math.min(255, Math.round((max / 32768) * 255)));
	}

	return { intervalMs: PEAK_INTERVAL_MS, peaks };
}

/** Mixes, computes the peaks and writes the timeline: every file the replay needs, in `dir`. */
export async function finalizeCapture(dir: string, capture: CaptureResult): Promise<string[]> {
	const mix = await mixTracks(dir, capture);
	const peaks = await peaksOf(mix);
	await writeFile(join(dir, PEAKS_FILE), JSON.stringify(peaks));
	await writeFile(join(dir, TIMELINE_FILE), JSON.stringify(capture.timeline));

	return [MIX_FILE, PEAKS_FILE, TIMELINE_FILE, ...capture.tracks.map((track) => track.file)];
}
