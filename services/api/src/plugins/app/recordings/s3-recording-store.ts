import type { Readable } from 'node:stream';
import {
	DeleteObjectsCommand,
	GetObjectCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	PutObjectCommand,
	S3Client,
	S3ServiceException,
} from '@aws-sdk/client-s3';
import { type ByteRange, isSafeFileName, type RecordingStore } from './recording-store.js';

/** Where an S3-compatible recording store is and how to reach it. */
export interface S3StoreSettings {
	/** Bucket holding the files (it must exist). */
	bucket: string;
	/** Endpoint of an S3-compatible service (MinIO, Ceph, R2…); AWS's own when unset. */
	endpoint?: string;
	/** Region (default `us-east-1`, which most S3-compatible services accept). */
	region: string;
	/** Access key id and secret; the AWS SDK's default chain (environment, profile, role) when unset. */
	credentials?: { accessKeyId: string; secretAccessKey: string };
	/** `bucket` in the path (`endpoint/bucket/key`) rather than in the host name; most self-hosted services need it. */
	forcePathStyle: boolean;
	/** Key prefix of every file (default `recordings/`). */
	prefix: string;
}

/**
 * The S3 settings in the environment (RECORDINGS_S3_*), or undefined when RECORDINGS_S3_BUCKET is unset
 * (the filesystem store is used then). Throws a TypeError naming the bad variable.
 */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv): S3StoreSettings | undefined {
	const bucket = env.RECORDINGS_S3_BUCKET?.trim();
	if (!bucket) {
		return undefined;
	}
	const endpoint = env.RECORDINGS_S3_ENDPOINT?.trim() || undefined;
	if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) {
		throw new TypeError('invalid environment: RECORDINGS_S3_ENDPOINT must be an http(s) URL');
	}
	const accessKeyId = env.RECORDINGS_S3_ACCESS_KEY_ID?.trim();
	const secretAccessKey = env.RECORDINGS_S3_SECRET_ACCESS_KEY?.trim();
	if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
		throw new TypeError(
			'invalid environment: RECORDINGS_S3_ACCESS_KEY_ID and RECORDINGS_S3_SECRET_ACCESS_KEY go together'
		);
	}
	const pathStyle = env.RECORDINGS_S3_PATH_STYLE?.trim();
	if (pathStyle && !['0', '1', 'true', 'false'].includes(pathStyle)) {
		throw new TypeError('invalid environment: RECORDINGS_S3_PATH_STYLE must be 1 or 0');
	}

	return {
		bucket,
		...(endpoint ? { endpoint } : {}),
		region: env.RECORDINGS_S3_REGION?.trim() || 'us-east-1',
		...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
		// A custom endpoint is nearly always a self-hosted service addressed by path.
		forcePathStyle: pathStyle ? pathStyle === '1' || pathStyle === 'true' : endpoint !== undefined,
		prefix: 'recordings/',
	};
}

/**
 * Recording files in an S3-compatible bucket, one key per file under `prefix/<recording id>/`. An object
 * appears only once its upload completed (S3 never shows a half-written object), and reads of a range
 * are ranged GETs, so seeking a replay fetches only what is played.
 */
export class S3RecordingStore implements RecordingStore {
	readonly #client: S3Client;
	readonly #bucket: string;
	readonly #prefix: string;

	/** A store in `settings.bucket`. */
	constructor(settings: S3StoreSettings) {
		this.#client = new S3Client({
			region: settings.region,
			forcePathStyle: settings.forcePathStyle,
			...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
			...(settings.credentials ? { credentials: settings.credentials } : {}),
		});
		this.#bucket = settings.bucket;
		this.#prefix = settings.prefix;
	}

	async put(recordingId: string, name: string, body: Readable): Promise<void> {
		// A stream of unknown length cannot be signed for a single PUT; files are a few MB per hour of
		// speech, so they are read whole and sent with their length.
		const chunks: Buffer[] = [];
		for await (const chunk of body) {
			chunks.push(chunk as Buffer);
		}
		await this.#client.send(
			new PutObjectCommand({
				Bucket: this.#bucket,
				Key: this.#key(recordingId, name),
				Body: Buffer.concat(chunks),
				ContentType: name.endsWith('.json') ? 'application/json' : 'audio/ogg',
			})
		);
	}

	async size(recordingId: string, name: string): Promise<number | null> {
		try {
			const head = await this.#client.send(
				new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(recordingId, name) })
			);

			return head.ContentLength ?? null;
		} catch (error) {
			if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) {
				return null;
			}
			throw error;
		}
	}

	async read(recordingId: string, name: string, range?: ByteRange): Promise<Readable> {
		const object = await this.#client.send(
			new GetObjectCommand({
				Bucket: this.#bucket,
				Key: this.#key(recordingId, name),
				...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
			})
		);

		return object.Body as Readable;
	}

	async delete(recordingId: string): Promise<void> {
		const prefix = `${this.#dir(recordingId)}/`;
		let token: string | undefined;
		do {
			const page = await this.#client.send(
				new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token })
			);
			const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
			if (keys.length > 0) {
				await this.#client.send(
					new DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects: keys, Quiet: true } })
				);
			}
			token = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (token);
	}

	/** Closes the client's connections. */
	close(): void {
		this.#client.destroy();
	}

	#dir(recordingId: string): string {
		if (!/^[0-9a-f-]{36}$/i.test(recordingId)) {
			throw new Error('invalid recording id');
		}

		return `${this.#prefix}${recordingId}`;
	}

	#key(recordingId: string, name: string): string {
		if (!isSafeFileName(name)) {
			throw new Error('invalid file name');
		}

		return `${this.#dir(recordingId)}/${name}`;
	}
}
