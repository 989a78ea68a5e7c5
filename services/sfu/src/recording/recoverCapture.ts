import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OPUS_SILENCE_20MS, opusPacketSamples } from './OggOpusWriter.js';
import { CHECKPOINT_FILE, type CaptureResult } from './RoomRecorder.js';

/** What a capture's folder says of it, written when it starts: whose it is, on which node. */
export const MANIFEST_FILE = 'capture.json';
/** Left in a capture's folder whose upload failed for good: kept for an operator, not retried. */
export const FAILED_FILE = 'failed';

const SAMPLES_PER_MS = 48;
const OGG_HEADER_SIZE = 27;

/** A capture's manifest ({@link MANIFEST_FILE}). */
export interface CaptureManifest {
	id: string;
	roomId: string;
	/** The SFU node that records it: only that node (restarted) recovers it. */
	nodeId: string;
	startedAt: number;
}

/** Writes the manifest of a capture starting in `dir`. */
export async function writeManifest(dir: string, manifest: CaptureManifest): Promise<void> {
	await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
}

/** The manifest in `dir`, or null when there is none (or it cannot be read). */
export async function readManifest(dir: string): Promise<CaptureManifest | null> {
	try {
		const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as CaptureManifest;

		return typeof manifest.id === 'string' && typeof manifest.startedAt === 'number' ? manifest : null;
	} catch {
		return null;
	}
}

/**
 * The whole Ogg pages at the start of `data` (a file whose writer was killed may end in half a page):
 * their length, the granule position of the last one (48 kHz samples) and where the first packet that
 * is not silence starts (samples), or null.
 */
export function wholeOggPages(data: Buffer): { length: number; granule: number; firstAudio: number | null } {
	let at = 0;
	let granule = 0;
	let firstAudio: number | null = null;
	let position = 0;
	let page = 0;
	while (at + OGG_HEADER_SIZE <= data.length && data.toString('latin1', at, at + 4) === 'OggS') {
		const segments = data[at + 26]!;
		const tableEnd = at + OGG_HEADER_SIZE + segments;
		if (tableEnd > data.length) {
			break;
		}
		const lacing = data.subarray(at + OGG_HEADER_SIZE, tableEnd);
		const bodyLength = lacing.reduce((sum, n) => sum + n, 0);
		if (tableEnd + bodyLength > data.length) {
			break;
		}
		// Packets of the page (the writer never continues a packet across pages).
		let packetStart = tableEnd;
		let packetLength = 0;
		for (const n of lacing) {
			packetLength += n;
			if (n < 255) {
				const packet = data.subarray(packetStart, packetStart + packetLength);
				// Pages 0 and 1 are the OpusHead and OpusTags headers.
				if (page >= 2) {
					if (firstAudio === null && !packet.equals(OPUS_SILENCE_20MS)) {
						firstAudio = position;
					}
					position += opusPacketSamples(packet);
				}
				packetStart += packetLength;
				packetLength = 0;
			}
		}
		granule = Math.max(granule, Number(data.readBigUInt64LE(at + 6)));
		at = tableEnd + bodyLength;
		page++;
	}

	return { length: at, granule, firstAudio };
}

/**
 * What a capture's folder holds after its node was lost: each speaker's track cut to its last whole
 * page (the tracks are padded together every second, so they end within about a second of each other),
 * and the timeline as last checkpointed. The recording ends where its longest track ends.
 */
export async function recoverCapture(dir: string, manifest: CaptureManifest): Promise<CaptureResult> {
	const files = (await readdir(dir)).filter((f) => /^track-.+\.ogg$/.test(f)).sort();
	const tracks: CaptureResult['tracks'] = [];
	for (const file of files) {
		const path = join(dir, file);
		const data = await readFile(path);
		const pages = wholeOggPages(data);
		if (pages.length < data.length) {
			await truncate(path, pages.length);
		}
		if (pages.granule === 0) {
			continue; // headers only: nothing was heard
		}
		tracks.push({
			userId: file.slice('track-'.length, -'.ogg'.length),
			path,
			file,
			durationMs: Math.round(pages.granule / SAMPLES_PER_MS),
			firstAudioMs: pages.firstAudio === null ? null : Math.round(pages.firstAudio / SAMPLES_PER_MS),
		});
	}
	let timeline: CaptureResult['timeline'];
	try {
		timeline = JSON.parse(await readFile(join(dir, CHECKPOINT_FILE), 'utf8')) as CaptureResult['timeline'];
	} catch {
		timeline = {
			startedAt: manifest.startedAt,
			durationMs: 0,
			people: [],
			stage: [],
			speaking: [],
			muted: [],
			events: [],
			chat: [],
		};
	}
	const durationMs = Math.max(timeline.durationMs, ...tracks.map((t) => t.durationMs));

	return { tracks, timeline: { ...timeline, durationMs }, durationMs };
}
