import { type Kysely, sql } from 'kysely';

/**
 * Reach: reminders ("remind me" on a scheduled room), the notification centre (stored notifications,
 * per-kind preferences), Web Push subscriptions, personal calendar feeds behind a revocable secret, and
 * what calendars need to follow a room's life: a SEQUENCE raised on each reschedule, and a tombstone
 * for cancelled rooms (their row is deleted) so feeds can say STATUS:CANCELLED. And series: a room that
 * repeats every N days (7: weekly) until a date or for N occurrences, each occurrence a room of its own.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('room_reminders')
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('room_reminders_pkey', ['room_id', 'user_id'])
		.execute();
	await db.schema.createIndex('room_reminders_user_idx').on('room_reminders').column('user_id').execute();

	await db.schema
		.createTable('notifications')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('room_id', 'uuid', (c) => c.references('rooms.id').onDelete('cascade'))
		.addColumn('actor_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('read_at', 'timestamptz')
		.execute();
	await db.schema
		.createIndex('notifications_user_created_idx')
		.on('notifications')
		.columns(['user_id', 'created_at'])
		.execute();

	await db.schema
		.createTable('notification_preferences')
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('in_app', 'boolean', (c) => c.notNull())
		.addColumn('push', 'boolean', (c) => c.notNull())
		.addPrimaryKeyConstraint('notification_preferences_pkey', ['user_id', 'kind'])
		.execute();

	await db.schema
		.createTable('push_subscriptions')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('endpoint', 'text', (c) => c.notNull().unique())
		.addColumn('p256dh', 'text', (c) => c.notNull())
		.addColumn('auth', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('push_subscriptions_user_idx')
		.on('push_subscriptions')
		.column('user_id')
		.execute();

	await db.schema
		.createTable('calendar_feeds')
		.addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
		.addColumn('secret', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.alterTable('rooms')
		.addColumn('calendar_sequence', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	// No foreign key to rooms: the room row is gone. Who the feed concerns is kept with it.
	await db.schema
		.createTable('cancelled_rooms')
		.addColumn('room_id', 'uuid', (c) => c.primaryKey())
		.addColumn('host_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull())
		.addColumn('scheduled_for', 'timestamptz')
		.addColumn('calendar_sequence', 'integer', (c) => c.notNull())
		.addColumn('reminded_ids', sql`uuid[]`, (c) => c.notNull())
		.addColumn('cancelled_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('cancelled_rooms_host_idx').on('cancelled_rooms').column('host_id').execute();

	await db.schema
		.createTable('room_series')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('host_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('every_days', 'integer', (c) => c.notNull().check(sql`every_days between 1 and 365`))
		.addColumn('until', 'timestamptz')
		.addColumn('max_count', 'integer', (c) => c.check(sql`max_count between 2 and 100`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.alterTable('rooms')
		.addColumn('series_id', 'uuid', (c) => c.references('room_series.id').onDelete('set null'))
		.addColumn('series_index', 'integer')
		.execute();
	await db.schema
		.createIndex('rooms_series_idx')
		.on('rooms')
		.columns(['series_id', 'series_index'])
		.unique()
		.execute();
}

/** Drops what {@link up} made. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('rooms').dropColumn('series_index').dropColumn('series_id').execute();
	await db.schema.dropTable('room_series').execute();
	await db.schema.dropTable('cancelled_rooms').execute();
	await db.schema.alterTable('rooms').dropColumn('calendar_sequence').execute();
	await db.schema.dropTable('calendar_feeds').execute();
	await db.schema.dropTable('push_subscriptions').execute();
	await db.schema.dropTable('notification_preferences').execute();
	await db.schema.dropTable('notifications').execute();
	await db.schema.dropTable('room_reminders').execute();
}
