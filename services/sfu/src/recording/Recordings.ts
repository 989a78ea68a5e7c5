import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingStatus } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import { ConflictError, InvalidStateError } from '../errors.js';
import { finalizeCapture } from './finalize.js';
import type { RecordingApi } from './RecordingApi.js';
import { type RecorderTap, RoomRecorder } from './RoomRecorder.js';

/** How long a recording whose room's worker died waits for the room to open again before it ends. */
export const DEFAULT_REATTACH_MS = 60_000;

/** Settings of a node's {@link Recordings}. */
export interface RecordingsOptions {
	/** The API's recording routes. */
	api: RecordingApi;
	/** Working directory of the captures (one folder per recording). */
	dir: string;
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
		const finishing = this.#finish(active, capture).finally(() => this.#finishing.delete(finishing));
		this.#finishing.add(finishing);
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

	async #finish(active: Active, capture: ReturnType<RoomRecorder['stop']>): Promise<void> {
		const { api, log } = this.#options;
		const id = active.recorder.id;
		const tracks = capture.tracks.map(({ userId, file, durationMs, firstAudioMs }) => ({
			userId,
			file,
			durationMs,
			firstAudioMs,
		}));
		try {
			const files = await finalizeCapture(active.dir, capture);
			for (const file of files) {
				await api.upload(id, active.dir, file);
			}
			await api.finish(id, {
				state: 'ready',
				durationMs: capture.durationMs,
				tracks,
				timeline: capture.timeline,
			});
			log.info({ recordingId: id, durationMs: capture.durationMs }, 'finish() | recording ready');
		} catch (error) {
			log.error({ err: error, recordingId: id }, 'finish() | recording failed');
			await api
				.finish(id, {
					state: 'failed',
					durationMs: capture.durationMs,
					tracks: [],
					timeline: capture.timeline,
				})
				.catch(() => undefined);
		}
	}
}
