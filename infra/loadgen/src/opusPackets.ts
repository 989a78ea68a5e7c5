import { spawn } from 'node:child_process';
import { parseOggPackets } from './oggPackets.js';
import { speechSignal } from './speechSignal.js';

// Real Opus packets (so sizes, TOC bytes and the bitrate are what a browser sends), encoded once per
// option set by ffmpeg/libopus and kept in memory; speakers loop over the list.

/** Encoding options for `loadOpusPackets`. */
export type OpusPacketsOptions = {
	/** Length of the encoded signal; speakers loop over it. Default 20 s. */
	durationMs?: number;
	/** Target bitrate in bit/s. Default 32 000. */
	bitrate?: number;
	/** PRNG seed of the test signal. Default 1. */
	seed?: number;
	/** ffmpeg binary. Default $FFMPEG_PATH, else `ffmpeg` on the PATH (/usr/bin/ffmpeg here). */
	ffmpegPath?: string;
};

/** One encoded 20 ms Opus frame per entry, with what a sender would put next to it. */
export type OpusPacketList = {
	/** Raw Opus packets, 20 ms each (48 kHz, mono). */
	packets: readonly Buffer[];
	/** Per packet: −dBov level of its PCM (0 loud … 127 silence), for the ssrc-audio-level extension. */
	levels: Uint8Array;
	/** Per packet: 1 if a DTX sender would not send it (see `dtxFlags`). */
	dtx: Uint8Array;
};

/** Frames quieter than this (−dBov) count as inactive: no voice-activity flag, candidates for DTX. */
export const INACTIVE_DBOV = 70;
// libopus decide_dtx_mode(): after 10 inactive 20 ms frames the encoder goes DTX, and in DTX it still emits
// one real frame (a comfort-noise update) after every 20 DTX frames. WebRTC does not send DTX frames (≤ 2
// bytes), so on the wire a silent DTX talker sends one packet per 420 ms.
const FRAMES_BEFORE_DTX = 10;
const MAX_CONSECUTIVE_DTX = 20;

/**
 * Which frames a DTX sender leaves out, modelled on libopus (10 inactive frames, then 20 skipped per 1 sent).
 * Modelled because this ffmpeg (5.1) has no libopus `-dtx` option; since the test signal's pauses are
 * known exactly, the model matches what libopus would decide for digital silence.
 */
export function dtxFlags(levels: Uint8Array): Uint8Array {
	const flags = new Uint8Array(levels.length);
	let inactive = 0;
	for (let i = 0; i < levels.length; i++) {
		if (levels[i]! < INACTIVE_DBOV) {
			inactive = 0;
			continue;
		}
		inactive++;
		if (inactive > FRAMES_BEFORE_DTX + MAX_CONSECUTIVE_DTX) {
			// The comfort-noise update: sent, and the DTX run starts again.
			inactive = FRAMES_BEFORE_DTX;
		} else if (inactive > FRAMES_BEFORE_DTX) {
			flags[i] = 1;
		}
	}
	return flags;
}

/** Encodes s16le 48 kHz mono PCM to Ogg Opus (20 ms frames, VoIP mode) with ffmpeg. */
export function encodeOggOpus(pcm: Int16Array, bitrate: number, ffmpegPath: string): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const ffmpeg = spawn(
			ffmpegPath,
			// biome-ignore format: one flag per pair reads better
			[
				'-hide_banner', '-loglevel', 'error', '-nostdin',
				'-f', 's16le', '-ar', '48000', '-ac', '1', '-i', 'pipe:0',
				'-c:a', 'libopus', '-b:a', String(bitrate), '-vbr', 'on', '-application', 'voip', '-frame_duration', '20',
				'-f', 'ogg', 'pipe:1',
			],
			{ stdio: ['pipe', 'pipe', 'pipe'] }
		);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		ffmpeg.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		ffmpeg.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		ffmpeg.on('error', (error: NodeJS.ErrnoException) => {
			reject(
				error.code === 'ENOENT'
					? new Error(
							`ffmpeg not found (${ffmpegPath}): install it (apt-get install ffmpeg) or set FFMPEG_PATH`
						)
					: error
			);
		});
		ffmpeg.on('close', (code) => {
			if (code === 0) {
				resolve(Buffer.concat(out));
			} else {
				reject(new Error(`ffmpeg exited with ${code}: ${Buffer.concat(err).toString().trim()}`));
			}
		});
		// EPIPE when ffmpeg dies early is reported through 'close' above.
		ffmpeg.stdin.on('error', () => {});
		ffmpeg.stdin.end(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
	});
}

const cache = new Map<string, Promise<OpusPacketList>>();

/** The Opus packets of the speech-like test signal, encoded on first use and cached per option set. */
export function loadOpusPackets(options: OpusPacketsOptions = {}): Promise<OpusPacketList> {
	const durationMs = options.durationMs ?? 20_000;
	const bitrate = options.bitrate ?? 32_000;
	const seed = options.seed ?? 1;
	const ffmpegPath = options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg';
	const key = `${durationMs}/${bitrate}/${seed}/${ffmpegPath}`;
	let list = cache.get(key);
	if (!list) {
		list = encode(durationMs, bitrate, seed, ffmpegPath);
		// A failure (e.g. no ffmpeg) must not stay cached.
		list.catch(() => cache.delete(key));
		cache.set(key, list);
	}
	return list;
}

async function encode(
	durationMs: number,
	bitrate: number,
	seed: number,
	ffmpegPath: string
): Promise<OpusPacketList> {
	const signal = speechSignal(durationMs, seed);
	const [head, tags, ...packets] = parseOggPackets(await encodeOggOpus(signal.pcm, bitrate, ffmpegPath));
	if (head?.subarray(0, 8).toString() !== 'OpusHead' || tags?.subarray(0, 8).toString() !== 'OpusTags') {
		throw new Error('ffmpeg did not produce an Ogg Opus stream');
	}
	// The encoder flushes its look-ahead into one extra frame at the end: keep one packet per 20 ms of input.
	packets.length = Math.min(packets.length, signal.levels.length);
	const levels = signal.levels.subarray(0, packets.length);
	return { packets, levels, dtx: dtxFlags(levels) };
}
