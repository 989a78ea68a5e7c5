import type { Kysely } from 'kysely';

/**
 * Host analytics: what the SFU counted in a room, written once when the room ends (people present at
 * once, distinct people, hands raised, each speaker's speaking time). Replay plays are counted apart
 * (`recording_plays`, migration 0004); duration comes from the room's own start and end.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('room_tallies')
		.addColumn('room_id', 'uuid', (c) => c.primaryKey().references('rooms.id').onDelete('cascade'))
		.addColumn('peak_listeners', 'integer', (c) => c.notNull())
		.addColumn('unique_listeners', 'integer', (c) => c.notNull())
		.addColumn('hand_raises', 'integer', (c) => c.notNull())
		.addColumn('speakers', 'jsonb', (c) => c.notNull())
		.execute();
}

/** Drops the tallies. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('room_tallies').execute();
}
