import { createHmac, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type {
	InternalFinishRecording,
	RecordingState,
	RecordingTimeline,
	RecordingView,
} from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { FileRecordingStore, type RecordingStore } from './recording-store.js';
import { S3RecordingStore, type S3StoreSettings, s3SettingsFromEnv } from './s3-recording-store.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Recordings, their tracks and plays. */
		recordingsRepository: RecordingsRepository;
		/** Where recording files are. */
		recordingStore: RecordingStore;
		/** Signs and checks the URLs of recording files (an audio element sends no Bearer token). */
		recordingUrls: RecordingUrls;
	}
}

/** The recordings tables (migration 0004), beside the rest of the schema. */
export interface RecordingTables {
	recordings: {
		id: Generated<string>;
		room_id: string;
		state: RecordingState;
		started_by: string | null;
		started_at: ColumnType<Date, Date | undefined, Date>;
		ended_at: Date | null;
		duration_ms: number | null;
		timeline: ColumnType<RecordingTimeline | null, string | null, string | null>;
		/** The SFU node capturing it (migration 0012). */
		node_id: ColumnType<string | null, string | null | undefined, string | null>;
	};
	recording_tracks: {
		recording_id: string;
		user_id: string;
		file: string;
		duration_ms: number;
		first_audio_ms: number | null;
	};
	recording_plays: {
		recording_id: string;
		user_id: string | null;
		at: ColumnType<Date, Date | undefined, never>;
	};
}

type RecordingDb = Kysely<DB & RecordingTables & { rooms: DB['rooms'] & { recording_enabled: boolean } }>;

/** A recording row. */
export type RecordingRow = Awaited<ReturnType<RecordingsRepository['find']>> & object;

/** The recording routes' queries. */
export function createRecordingsRepository(kysely: Kysely<DB>) {
	const db = kysely as unknown as RecordingDb;

	return {
		/** Whether the room is scheduled with recording on. */
		async enabled(roomId: string): Promise<boolean> {
			const row = await db
				.selectFrom('rooms')
				.select('recording_enabled')
				.where('id', '=', roomId)
				.executeTakeFirst();

			return row?.recording_enabled ?? false;
		},

		/** Turns recording on or off for a room. */
		async setEnabled(roomId: string, enabled: boolean): Promise<void> {
			await db.updateTable('rooms').set({ recording_enabled: enabled }).where('id', '=', roomId).execute();
		},

		/** Starts a recording row, captured on `nodeId`. */
		async create(roomId: string, by: string, nodeId: string | null = null) {
			return db
				.insertInto('recordings')
				.values({ room_id: roomId, state: 'recording', started_by: by, timeline: null, node_id: nodeId })
				.returning(['id', 'started_at'])
				.executeTakeFirstOrThrow();
		},

		/** One recording, or undefined. */
		async find(id: string) {
			return db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
		},

		/** The room's recordings, newest first. */
		async list(roomId: string) {
			return db
				.selectFrom('recordings')
				.selectAll()
				.where('room_id', '=', roomId)
				.orderBy('started_at', 'desc')
				.execute();
		},

		/** The tracks of recordings. */
		async tracks(recordingIds: readonly string[]) {
			if (recordingIds.length === 0) {
				return [];
			}

			return db
				.selectFrom('recording_tracks')
				.selectAll()
				.where('recording_id', 'in', recordingIds)
				.execute();
		},

		/** The SFU finished: the state, duration, tracks and timeline. */
		async finish(id: string, body: InternalFinishRecording): Promise<void> {
			await db.transaction().execute(async (trx) => {
				await trx
					.updateTable('recordings')
					.set({
						state: body.state,
						duration_ms: body.durationMs,
						ended_at: new Date(),
						timeline: JSON.stringify(body.timeline),
					})
					.where('id', '=', id)
					.execute();
				await trx.deleteFrom('recording_tracks').where('recording_id', '=', id).execute();
				if (body.tracks.length > 0) {
					await trx
						.insertInto('recording_tracks')
						.values(
							body.tracks.map((t) => ({
								recording_id: id,
								user_id: t.userId,
								file: t.file,
								duration_ms: t.durationMs,
								first_audio_ms: t.firstAudioMs,
							}))
						)
						.execute();
				}
			});
		},

		/**
		 * The capture of a recording stopped and is being mixed: from `recording`, or from `partial` when a
		 * restarted node finishes what it lost (the sweep marked it so without files).
		 */
		async processing(id: string): Promise<void> {
			await db
				.updateTable('recordings')
				.set((eb) => ({ state: 'processing', ended_at: eb.fn.coalesce('ended_at', eb.val(new Date())) }))
				.where('id', '=', id)
				.where('state', 'in', ['recording', 'partial'])
				.execute();
		},

		/** Recordings of `roomId` still capturing become partial (the room ended without their node). */
		async markUnfinished(roomId: string): Promise<void> {
			await db
				.updateTable('recordings')
				.set({ state: 'partial', ended_at: new Date() })
				.where('room_id', '=', roomId)
				.where('state', '=', 'recording')
				.execute();
		},

		/** Recordings still capturing whose node was lost become partial (their files come when it is back). */
		async markLost(ids: readonly string[]): Promise<void> {
			if (ids.length === 0) {
				return;
			}
			await db
				.updateTable('recordings')
				.set({ state: 'partial', ended_at: new Date() })
				.where('id', 'in', ids)
				.where('state', '=', 'recording')
				.execute();
		},

		/** Deletes a recording's rows. */
		async delete(id: string): Promise<void> {
			await db.deleteFrom('recordings').where('id', '=', id).execute();
		},

		/** Someone started playing a replay. */
		async play(id: string, userId: string | null): Promise<void> {
			await db.insertInto('recording_plays').values({ recording_id: id, user_id: userId }).execute();
		},

		/** Replay plays of a room's recordings. */
		async plays(roomId: string): Promise<number> {
			const row = await db
				.selectFrom('recording_plays')
				.innerJoin('recordings', 'recordings.id', 'recording_plays.recording_id')
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.where('recordings.room_id', '=', roomId)
				.executeTakeFirst();

			return Number(row?.n ?? 0);
		},
	};
}

/** What {@link createRecordingsRepository} returns. */
export type RecordingsRepository = ReturnType<typeof createRecordingsRepository>;

const URL_TTL_MS = 6 * 60 * 60 * 1000;

/** Signed, expiring file URLs: `?exp=…&sig=…` binds a recording id and file name. */
export function createRecordingUrls(secret: string) {
	const sign = (id: string, name: string, exp: number) =>
		createHmac('sha256', `recording-url:${secret}`).update(`${id}/${name}/${exp}`).digest('base64url');

	return {
		/** The URL of `name` of recording `id`, valid for six hours. */
		url(id: string, name: string, now = Date.now()): string {
			const exp = now + URL_TTL_MS;

			return `/api/recordings/${id}/files/${encodeURIComponent(name)}?exp=${exp}&sig=${sign(id, name, exp)}`;
		},
		/** Whether `sig` signs `name` of `id` until `exp`, not yet passed. */
		check(id: string, name: string, exp: number, sig: string, now = Date.now()): boolean {
			const expected = Buffer.from(sign(id, name, exp));
			const given = Buffer.from(sig);

			return exp > now && given.length === expected.length && timingSafeEqual(given, expected);
		},
	};
}

/** What {@link createRecordingUrls} returns. */
export type RecordingUrls = ReturnType<typeof createRecordingUrls>;

/** The file names of a recording's products. */
export const RecordingFile = { Mix: 'mix.ogg', Timeline: 'timeline.json', Peaks: 'peaks.json' } as const;

/** A recording as the API lists it; `withTracks` for the host and co-hosts. */
export function recordingView(
	urls: RecordingUrls,
	row: NonNullable<Awaited<ReturnType<RecordingsRepository['find']>>>,
	tracks: readonly { user_id: string; file: string }[] | null
): RecordingView {
	const playable = row.state === 'ready' || row.state === 'partial';
	const fileUrl = (name: string) => (playable ? urls.url(row.id, name) : null);

	return {
		id: row.id,
		roomId: row.room_id,
		state: row.state,
		startedAt: row.started_at.toISOString(),
		durationMs: row.duration_ms,
		audioUrl: fileUrl(RecordingFile.Mix),
		timelineUrl: fileUrl(RecordingFile.Timeline),
		peaksUrl: fileUrl(RecordingFile.Peaks),
		...(tracks && playable
			? { tracks: tracks.map((t) => ({ userId: t.user_id, audioUrl: urls.url(row.id, t.file) })) }
			: {}),
	};
}

/** Decorates the app with the recordings repository, the file store and the URL signer. */
export default fp(
	async function recordingsRepository(
		app: FastifyInstance,
		opts: { jwtSecret?: string; recordingDir?: string; recordingS3?: S3StoreSettings }
	) {
		app.decorate('recordingsRepository', createRecordingsRepository(app.db));
		// S3-compatible storage when configured (RECORDINGS_S3_BUCKET), else files under DATA_DIR.
		const s3 = opts.recordingS3 ?? s3SettingsFromEnv(process.env);
		if (s3) {
			const store = new S3RecordingStore(s3);
			app.decorate('recordingStore', store);
			app.addHook('onClose', async () => store.close());
		} else {
			app.decorate(
				'recordingStore',
				new FileRecordingStore(opts.recordingDir ?? join(process.env.DATA_DIR ?? '.majlis', 'recordings'))
			);
		}
		app.decorate('recordingUrls', createRecordingUrls(opts.jwtSecret ?? ''));
	},
	{ name: 'recordings-repository', dependencies: ['db'] }
);
