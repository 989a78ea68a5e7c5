import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A byte range of a stored file (inclusive, as in HTTP `Range`). */
export interface ByteRange {
	start: number;
	end: number;
}

/** Where recording files live: a folder per recording, files by name. */
export interface RecordingStore {
	/** Stores `name` of `recordingId` from `body`; visible only once complete. */
	put(recordingId: string, name: string, body: Readable): Promise<void>;
	/** The size of a stored file, or null when it is not there. */
	size(recordingId: string, name: string): Promise<number | null>;
	/** Reads a stored file, or `range` of it. */
	read(recordingId: string, name: string, range?: ByteRange): Promise<Readable>;
	/** Deletes every file of a recording. */
	delete(recordingId: string): Promise<void>;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Whether `name` may be a stored file's name (no separators, no dot files). */
export function isSafeFileName(name: string): boolean {
	return SAFE_NAME.test(name) && !name.includes('..');
}

/**
 * The default store: files under a directory (DATA_DIR/recordings). A file is written beside its final
 * name and renamed when complete, so nothing half-written is ever read.
 */
export class FileRecordingStore implements RecordingStore {
	readonly #root: string;

	/** A store under `root` (created as needed). */
	constructor(root: string) {
		this.#root = root;
	}

	async put(recordingId: string, name: string, body: Readable): Promise<void> {
		const dir = this.#dir(recordingId);
		await mkdir(dir, { recursive: true });
		const path = join(dir, this.#name(name));
		const partial = `${path}.partial`;
		await pipeline(body, createWriteStream(partial));
		await rename(partial, path);
	}

	async size(recordingId: string, name: string): Promise<number | null> {
		try {
			return (await stat(join(this.#dir(recordingId), this.#name(name)))).size;
		} catch {
			return null;
		}
	}

	async read(recordingId: string, name: string, range?: ByteRange): Promise<Readable> {
		return createReadStream(join(this.#dir(recordingId), this.#name(name)), range ?? {});
	}

	async delete(recordingId: string): Promise<void> {
		await rm(this.#dir(recordingId), { recursive: true, force: true });
	}

	#dir(recordingId: string): string {
		if (!/^[0-9a-f-]{36}$/i.test(recordingId)) {
			throw new Error('invalid recording id');
		}

		return join(this.#root, recordingId);
	}

	#name(name: string): string {
		if (!isSafeFileName(name)) {
			throw new Error('invalid file name');
		}

		return name;
	}
}
