import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A generated WAV file and how to delete it. */
export interface Tone {
	/** Absolute path of the WAV file. */
	path: string;
	/** Removes the temporary directory. */
	cleanup(): Promise<void>;
}

/** Options of {@link createTone}. */
export interface ToneOptions {
	/** Pitch in Hz (default 440). */
	frequency?: number;
	/** Length of the file; Chromium loops it (default 30). */
	seconds?: number;
	/**
	 * Shape it like speech: a gliding pitch cut into syllables (about 2.5 a second) with a pause every
	 * 4 s. The microphone's noise suppression (on in the app, as it should be) learns a steady tone as
	 * background noise within seconds and fades it out; this pattern keeps being "voice".
	 */
	speechLike?: boolean;
}

/**
 * Writes a sine tone as 48 kHz mono WAV with ffmpeg into a fresh temp dir, for Chromium's fake
 * microphone (`--use-file-for-fake-audio-capture`; Chromium loops it).
 */
export async function createTone(options: ToneOptions = {}): Promise<Tone> {
	const { frequency = 440, seconds = 30, speechLike = false } = options;
	const dir = await mkdtemp(join(tmpdir(), 'majlis-tone-'));
	const path = join(dir, `tone-${frequency}.wav`);
	const source = speechLike
		? `aevalsrc='0.5*sin(2*PI*${frequency}*t+40*sin(2*PI*0.5*t))*gt(sin(2*PI*2.5*t),-0.3)*lt(mod(t,4),3.2)':s=48000:d=${seconds}`
		: `sine=frequency=${frequency}:duration=${seconds}`;
	await run('ffmpeg', [
		'-hide_banner',
		'-loglevel',
		'error',
		'-f',
		'lavfi',
		'-i',
		source,
		'-ar',
		'48000',
		'-ac',
		'1',
		path,
	]);

	return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
