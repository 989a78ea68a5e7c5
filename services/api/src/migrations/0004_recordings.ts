import { type Kysely, sql } from 'kysely';

/**
 * Recordings: whether a room is recorded (set when scheduling), each recording's state and timeline,
 * one track per speaker, and who played a replay (host analytics).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('rooms')
		.addColumn('recording_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
		.execute();
	await db.schema
		.createTable('recordings')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('state', 'text', (c) =>
			c.notNull().check(sql`state in ('recording', 'processing', 'ready', 'partial', 'failed')`)
		)
		.addColumn('started_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('ended_at', 'timestamptz')
		.addColumn('duration_ms', 'integer')
		.addColumn('timeline', 'jsonb')
		.execute();
	await db.schema.createIndex('recordings_room_id_idx').on('recordings').column('room_id').execute();
	await db.schema
		.createTable('recording_tracks')
		.addColumn('recording_id', 'uuid', (c) => c.notNull().references('recordings.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull())
		.addColumn('file', 'text', (c) => c.notNull())
		.addColumn('duration_ms', 'integer', (c) => c.notNull())
		.addColumn('first_audio_ms', 'integer')
		.addPrimaryKeyConstraint('recording_tracks_pk', ['recording_id', 'user_id'])
		.execute();
	await db.schema
		.createTable('recording_plays')
		.addColumn('recording_id', 'uuid', (c) => c.notNull().references('recordings.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid')
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
}

/** Drops the recordings (their files stay in the store). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('recording_plays').execute();
	await db.schema.dropTable('recording_tracks').execute();
	await db.schema.dropTable('recordings').execute();
	await db.schema.alterTable('rooms').dropColumn('recording_enabled').execute();
}
