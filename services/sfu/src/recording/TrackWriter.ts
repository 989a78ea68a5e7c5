import { closeSync, openSync, writeSync } from 'node:fs';
import { OggOpusWriter, OPUS_SILENCE_20MS, opusPacketSamples, SILENCE_SAMPLES } from './OggOpusWriter.js';

const SAMPLES_PER_MS = 48;
// RTP time is trusted while it agrees with arrival time to this much; beyond it (a mute, a new producer
// after a reconnect, a dead worker) the track re-anchors on the clock and the gap becomes silence.
const RESYNC_MS = 500;

/**
 * One speaker's Ogg/Opus file, aligned to the recording's time 0: the RTP payloads as they arrive (no
 * transcoding), placed by their RTP timestamps, with silence packets wherever nothing arrived (mutes,
 * DTX, gaps), so sample n of every track of a recording is the same instant.
 */
export class TrackWriter {
	/** Whose voice. */
	readonly userId: string;
	/** The file written. */
	readonly path: string;
	readonly #fd: number;
	readonly #ogg: OggOpusWriter;
	readonly #startedAt: number;
	#last: { seq: number; ts: number; position: number } | null = null;
	#firstAudioMs: number | null = null;
	#closed = false;

	/** Creates the file at `path`; `startedAt` (ms since epoch) is the recording's time 0. */
	constructor(userId: string, path: string, startedAt: number) {
		this.userId = userId;
		this.path = path;
		this.#startedAt = startedAt;
		this.#fd = openSync(path, 'w');
		this.#ogg = new OggOpusWriter((page) => writeSync(this.#fd, page));
	}

	/** Length so far, in ms. */
	get durationMs(): number {
		return Math.round(this.#ogg.samples / SAMPLES_PER_MS);
	}

	/** When the first voice packet came (ms from time 0), or null. */
	get firstAudioMs(): number | null {
		return this.#firstAudioMs;
	}

	/** The next packet starts a new RTP stream (a new producer): place it by the clock. */
	resync(): void {
		this.#last = null;
	}

	/** Writes one RTP payload (`seq`, `timestamp` from its header) that arrived at `arrivalMs`. */
	packet(payload: Buffer, seq: number, timestamp: number, arrivalMs: number): void {
		const samples = opusPacketSamples(payload);
		if (this.#closed || samples === 0) {
			return;
		}
		const clockPosition = Math.max(0, Math.round((arrivalMs - this.#startedAt) * SAMPLES_PER_MS));
		let target = clockPosition;
		const last = this.#last;
		if (last) {
			const seqDelta = (seq - last.seq) & 0xffff;
			if (seqDelta === 0 || seqDelta > 0x8000) {
				// A duplicate or a packet older than one already written.
				return;
			}
			const tsDelta = (timestamp - last.ts) >>> 0;
			const predicted = last.position + tsDelta;
			if (tsDelta < 0x80000000 && Math.abs(predicted - clockPosition) <= RESYNC_MS * SAMPLES_PER_MS) {
				target = predicted;
			}
		}
		this.#fillTo(target);
		this.#firstAudioMs ??= Math.round(this.#ogg.samples / SAMPLES_PER_MS);
		this.#ogg.write(payload, samples);
		this.#last = { seq, ts: timestamp, position: target };
	}

	/** Fills silence up to `atMs` (ms since epoch) and writes what is pending to disk. */
	padTo(atMs: number): void {
		if (!this.#closed) {
			this.#fillTo(Math.round((atMs - this.#startedAt) * SAMPLES_PER_MS));
			this.#ogg.flush();
		}
	}

	/** Pads to `endMs` (ms since epoch), ends the stream and closes the file. Idempotent. */
	close(endMs: number): void {
		if (this.#closed) {
			return;
		}
		this.#fillTo(Math.round((endMs - this.#startedAt) * SAMPLES_PER_MS));
		this.#closed = true;
		this.#ogg.end();
		closeSync(this.#fd);
	}

	// Silence packets while a whole one fits before `position` (the track lags by less than 20 ms).
	#fillTo(position: number): void {
		while (this.#ogg.samples + SILENCE_SAMPLES <= position) {
			this.#ogg.write(OPUS_SILENCE_20MS, SILENCE_SAMPLES);
		}
	}
}
