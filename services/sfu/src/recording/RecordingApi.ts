import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InternalFinishRecording } from '@majlis/protocol';
import type { TokenService } from '@majlis/server-kit';
import { ForbiddenError, UnavailableError } from '../errors.js';

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The recording side of the internal REST contract with the API: the API creates the recording row
 * (refusing rooms scheduled without recording), stores the files the SFU uploads in its RecordingStore,
 * and marks the recording ready, partial or failed.
 */
export class RecordingApi {
	readonly #baseUrl: string;
	readonly #tokens: TokenService;

	/** `baseUrl` is the API's base URL (http://host:port). */
	constructor(baseUrl: string, tokens: TokenService) {
		this.#baseUrl = baseUrl.replace(/\/$/, '');
		this.#tokens = tokens;
	}

	/** Creates a recording of `roomId` started by `by`; ForbiddenError when the room is not recorded. */
	async create(roomId: string, by: string): Promise<{ id: string; startedAt: number }> {
		const response = await this.#call(
			'POST',
			`/api/internal/rooms/${encodeURIComponent(roomId)}/recordings`,
			JSON.stringify({ by }),
			'application/json'
		);

		return (await response.json()) as { id: string; startedAt: number };
	}

	/** Uploads `dir/file` as the recording's `file`. */
	async upload(recordingId: string, dir: string, file: string): Promise<void> {
		await this.#call(
			'PUT',
			`/api/internal/recordings/${encodeURIComponent(recordingId)}/files/${encodeURIComponent(file)}`,
			await readFile(join(dir, file)),
			'application/octet-stream'
		);
	}

	/** The capture stopped: the recording is listed `processing` while it is mixed and uploaded. */
	async processing(recordingId: string): Promise<void> {
		await this.#call(
			'POST',
			`/api/internal/recordings/${encodeURIComponent(recordingId)}/processing`,
			'',
			'text/plain'
		);
	}

	/** Marks the recording finished (its files are uploaded). */
	async finish(recordingId: string, body: InternalFinishRecording): Promise<void> {
		await this.#call(
			'POST',
			`/api/internal/recordings/${encodeURIComponent(recordingId)}/finish`,
			JSON.stringify(body),
			'application/json'
		);
	}

	async #call(method: string, path: string, body: string | Buffer, type: string): Promise<Response> {
		const token = await this.#tokens.signServiceToken('sfu');
		let response: Response;
		try {
			response = await fetch(`${this.#baseUrl}${path}`, {
				method,
				headers: { authorization: `Bearer ${token}`, 'content-type': type },
				body,
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
			});
		} catch (error) {
			throw new UnavailableError(`API unreachable: ${(error as Error).message}`);
		}
		if (response.status === 403 || response.status === 409) {
			const text = await response.text();
			const message = (JSON.parse(text || '{}') as { error?: { message?: string } }).error?.message;
			throw new ForbiddenError(message ?? 'this room is not recorded');
		}
		if (!response.ok) {
			throw new UnavailableError(`API answered ${method} ${path} with ${response.status}`);
		}

		return response;
	}
}
