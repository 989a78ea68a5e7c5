import { type Kysely, sql } from 'kysely';

/**
 * Moderation that outlives the room: the moderation log (every act, with actor, target, time and
 * reason, kept with the ended room), people blocking people, reports to moderators and deployment
 * admins, and suspended accounts (who cannot log in or join).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('moderation_log')
		.addColumn('id', 'uuid', (c) => c.primaryKey())
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('target_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('reason', 'text')
		.addColumn('detail', 'text')
		.addColumn('at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('moderation_log_room_at_idx')
		.on('moderation_log')
		.columns(['room_id', 'at'])
		.execute();
	await db.schema
		.createTable('user_blocks')
		.addColumn('blocker_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('blocked_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('user_blocks_pk', ['blocker_id', 'blocked_id'])
		.execute();
	await db.schema.createIndex('user_blocks_blocked_idx').on('user_blocks').column('blocked_id').execute();
	await db.schema
		.createTable('reports')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('room_id', 'uuid', (c) => c.references('rooms.id').onDelete('set null'))
		.addColumn('reporter_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('target_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('message_id', 'uuid', (c) => c.references('chat_messages.id').onDelete('set null'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved')`)
		)
		.addColumn('resolution', 'text')
		.addColumn('resolved_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('resolved_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('reports_status_idx').on('reports').columns(['status', 'created_at']).execute();
	await db.schema.alterTable('users').addColumn('suspended_at', 'timestamptz').execute();
}

/** Drops what {@link up} made. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('users').dropColumn('suspended_at').execute();
	await db.schema.dropTable('reports').execute();
	await db.schema.dropTable('user_blocks').execute();
	await db.schema.dropTable('moderation_log').execute();
}
