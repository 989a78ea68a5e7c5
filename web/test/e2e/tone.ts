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

/**
 * Writes a sine tone as 48 kHz mono WAV with ffmpeg into a fresh temp dir, for Chromium's fake
 * microphone (`--use-file-for-fake-audio-capture`; Chromium loops it).
 */
export async function createTone(options: { frequency?: number; seconds?: number } = {}): Promise<Tone> {
	const { frequency = 440, seconds = 30 } = options;
	const dir = await mkdtemp(join(tmpdir(), 'majlis-tone-'));
	const path = join(dir, `tone-${frequency}.wav`);
	await run('ffmpeg', [
		'-hide_banner',
		'-loglevel',
		'error',
		'-f',
		'lavfi',
		'-i',
		`sine=frequency=${frequency}:duration=${seconds}`,
		'-ar',
		'48000',
		'-ac',
		'1',
		path,
	]);

	return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
