import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingStatus } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import { ConflictError, InvalidStateError } from '../errors.js';
import { finalizeCapture } from './finalize.js';
import type { RecordingApi } from './RecordingApi.js';
import { type CaptureResult, type RecorderTap, RoomRecorder } from './RoomRecorder.js';
import { FAILED_FILE, readManifest, recoverCapture, writeManifest } from './recoverCapture.js';

/** How long a recording whose room's worker died waits for the room to open again before it ends. */
export const DEFAULT_REATTACH_MS = 60_000;

/** Settings of a node's {@link Recordings}. */
export interface RecordingsOptions {
	/** The API's recording routes. */
	api: RecordingApi;
	/** Working directory of the captures (one folder per recording), kept across restarts. */
	dir: string;
	/** This SFU node's id: a restarted node recovers the captures it lost. */
	nodeId: string;
	/** Time (ms since epoch). */
	now: () => number;
	/** Logger. */
	log: Logger;
	/** See {@link DEFAULT_REATTACH_MS}. */
	reattachMs?: number;
}

interface Active {
	recorder: RoomRecorder;
	dir: string;
	reattach: NodeJS.Timeout | undefined;
}

type Producers = readonly { producer: types.Producer; userId: string }[];

/**
 * The recordings running on this node, by room. A recording belongs to the room, not to one Room
 * object: when the room's worker dies its Room closes and a new one opens on another worker, which the
 * recording taps again (the time between is silence). Once stopped, the capture is mixed and uploaded to
 * the API in the background ({@link settled} waits for that).
 */
export class Recordings {
	readonly #options: RecordingsOptions;
	readonly #active = new Map<string, Active>();
	readonly #finishing = new Set<Promise<void>>();

	/** The recordings of one node. */
	constructor(options: RecordingsOptions) {
		this.#options = options;
	}

	/** The recording of `roomId` running now, or null. */
	status(roomId: string): RecordingStatus | null {
		const active = this.#active.get(roomId);

		return active ? { id: active.recorder.id, startedAt: active.recorder.startedAt } : null;
	}

	/** The capture of `roomId`, while it runs. */
	recorder(roomId: string): RoomRecorder | undefined {
		return this.#active.get(roomId)?.recorder;
	}

	/** Starts recording `roomId` (the API refuses rooms scheduled without recording). */
	async start(
		roomId: string,
		by: string,
		tap: RecorderTap,
		producers: () => Producers
	): Promise<RecordingStatus> {
		if (this.#active.has(roomId)) {
			throw new ConflictError('the room is already being recorded');
		}
		const { id, startedAt } = await this.#options.api.create(roomId, by);
		if (this.#active.has(roomId)) {
			throw new ConflictError('the room is already being recorded');
		}
		const dir = join(this.#options.dir, id);
		const recorder = new RoomRecorder({ id, startedAt, dir, now: this.#options.now, log: this.#options.log });
		this.#active.set(roomId, { recorder, dir, reattach: undefined });
		await mkdir(dir, { recursive: true });
		await writeManifest(dir, { id, roomId, nodeId: this.#options.nodeId, startedAt });
		await recorder.attach(tap, producers());

		return { id, startedAt };
	}

	/** A Room of `roomId` opened on this node: a recording that lost its worker taps it. */
	async attach(roomId: string, tap: RecorderTap, producers: () => Producers): Promise<void> {
		const active = this.#active.get(roomId);
		if (active) {
			clearTimeout(active.reattach);
			active.reattach = undefined;
			await active.recorder.attach(tap, producers());
		}
	}

	/** The Room of `roomId` closed: a dead worker pauses the recording, any other reason stops it. */
	roomClosed(roomId: string, reason: 'ended' | 'idle' | 'shutdown' | 'workerdied'): void {
		const active = this.#active.get(roomId);
		if (!active) {
			return;
		}
		if (reason === 'workerdied') {
			active.recorder.detach();
			active.reattach = setTimeout(() => this.stop(roomId), this.#options.reattachMs ?? DEFAULT_REATTACH_MS);
			active.reattach.unref();
		} else {
			this.stop(roomId);
		}
	}

	/** Stops the recording of `roomId` now; mixing and uploading go on in the background. */
	stop(roomId: string): void {
		const active = this.#active.get(roomId);
		if (!active) {
			throw new InvalidStateError('the room is not being recorded');
		}
		clearTimeout(active.reattach);
		this.#active.delete(roomId);
		const capture = active.recorder.stop(this.#options.now());
		this.#track(this.#finish(active.recorder.id, active.dir, capture, 'ready'));
	}

	/**
	 * The captures this node left unfinished when it was lost (killed, or its machine went down): each is
	 * finished as `partial` from what reached the disk, in the background ({@link settled} waits).
	 * Called once when the node starts.
	 */
	async recover(): Promise<number> {
		const { dir, nodeId, log } = this.#options;
		const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
		let recovered = 0;
		for (const entry of entries) {
			if (!entry.isDirectory()) {
				continue;
			}
			const folder = join(dir, entry.name);
			const manifest = await readManifest(folder);
			const busy = [...this.#active.values()].some((a) => a.recorder.id === manifest?.id);
			const failed = await readdir(folder).then((files) => files.includes(FAILED_FILE));
			if (!manifest || manifest.nodeId !== nodeId || busy || failed) {
				continue;
			}
			log.warn({ recordingId: manifest.id }, 'recover() | finishing a capture this node lost');
			recovered++;
			this.#track(
				recoverCapture(folder, manifest).then((capture) =>
					this.#finish(manifest.id, folder, capture, 'partial')
				)
			);
		}

		return recovered;
	}

	/** Resolves once every stopped recording is uploaded (or failed). */
	async settled(): Promise<void> {
		while (this.#finishing.size > 0) {
			await Promise.all([...this.#finishing]);
		}
	}

	/** Stops every recording (the node shuts down) and waits for their uploads. */
	async close(): Promise<void> {
		for (const roomId of [...this.#active.keys()]) {
			this.stop(roomId);
		}
		await this.settled();
	}

	#track(work: Promise<void>): void {
		const finishing: Promise<void> = work
			.catch((error: unknown) => this.#options.log.error({ err: error }, 'finish() | failed'))
			.finally(() => this.#finishing.delete(finishing));
		this.#finishing.add(finishing);
	}

	// Mixes, uploads and marks the recording `state`; the local folder goes once the API has it all.
	async #finish(id: string, dir: string, capture: CaptureResult, state: 'ready' | 'partial'): Promise<void> {
		const { api, log } = this.#options;
		// Listed `processing` (nothing served) until every file is there.
		await api
			.processing(id)
			.catch((error: unknown) =>
				log.warn({ err: error, recordingId: id }, 'finish() | not marked processing')
			);
		const tracks = capture.tracks.map(({ userId, file, durationMs, firstAudioMs }) => ({
			userId,
			file,
			durationMs,
			firstAudioMs,
		}));
		try {
			const files = await finalizeCapture(dir, capture);
			for (const file of files) {
				await api.upload(id, dir, file);
			}
			await api.finish(id, {
				state,
				durationMs: capture.durationMs,
				tracks,
				timeline: capture.timeline,
			});
			log.info({ recordingId: id, durationMs: capture.durationMs, state }, 'finish() | recording finished');
			await rm(dir, { recursive: true, force: true });
		} catch (error) {
			log.error({ err: error, recordingId: id }, 'finish() | recording failed');
			await api
				.finish(id, {
					state: 'failed',
					durationMs: capture.durationMs,
					tracks: [],
					timeline: capture.timeline,
				})
				.then(() => writeFile(join(dir, FAILED_FILE), ''))
				.catch(() => undefined);
		}
	}
}
