import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOggPackets } from '@majlis/loadgen';

/** Sample rate of {@link decode}'s output. */
export const DECODE_RATE = 8000;

/** 20 ms Opus frames of a one-second sine tone (what a microphone playing it sends), made by ffmpeg in `dir`. */
export function toneFrames(dir: string, hz: number): Buffer[] {
	const file = join(dir, `tone-${hz}.ogg`);
	execFileSync('ffmpeg', [
		...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=1`],
		...['-ac', '1', '-c:a', 'libopus', '-frame_duration', '20', file],
	]);

	return parseOggPackets(readFileSync(file)).slice(2);
}

/** Mono 8 kHz samples (−1…1) of an Ogg/Opus file, decoded by ffmpeg. */
export function decode(data: Buffer): Float64Array {
	const pcm = execFileSync(
		'ffmpeg',
		[
			'-hide_banner',
			'-loglevel',
			'error',
			'-i',
			'-',
			'-ac',
			'1',
			'-ar',
			String(DECODE_RATE),
			'-f',
			's16le',
			'-',
		],
		{ input: data, maxBuffer: 256 * 1024 * 1024 }
	);
	const out = new Float64Array(pcm.length / 2);
	for (let i = 0; i < out.length; i++) {
		out[i] = pcm.readInt16LE(i * 2) / 32768;
	}

	return out;
}

/** Power of `hz` (Goertzel) in [fromS, toS) of {@link decode}d samples. */
export function power(samples: Float64Array, hz: number, fromS: number, toS: number): number {
	const from = Math.round(fromS * DECODE_RATE);
	const to = Math.min(samples.length, Math.round(toS * DECODE_RATE));
	const k = 2 * Math.cos((2 * Math.PI * hz) / DECODE_RATE);
	let s1 = 0;
	let s2 = 0;
	for (let i = from; i < to; i++) {
		const s = samples[i]! + k * s1 - s2;
		s2 = s1;
		s1 = s;
	}

	return (s1 * s1 + s2 * s2 - k * s1 * s2) / Math.max(1, to - from) ** 2;
}

/** The loudest sample in [fromS, toS) of {@link decode}d samples. */
export function peak(samples: Float64Array, fromS: number, toS: number): number {
	let max = 0;
	const to = Math.min(samples.length, Math.round(toS * DECODE_RATE));
	for (let i = Math.max(0, Math.round(fromS * DECODE_RATE)); i < to; i++) {
		max = Math.max(max, Math.abs(samples[i]!));
	}

	return max;
}

/**
 * Mean {@link power} of `hz` over 250 ms windows of [fromS, toS): for long spans, where a looped test tone
 * (its loop point is not phase-continuous) would make one long window's sum cancel out.
 */
export function meanPower(samples: Float64Array, hz: number, fromS: number, toS: number): number {
	const windows: number[] = [];
	for (let at = fromS; at + 0.25 <= toS; at += 0.25) {
		windows.push(power(samples, hz, at, at + 0.25));
	}

	return windows.reduce((s, p) => s + p, 0) / Math.max(1, windows.length);
}
