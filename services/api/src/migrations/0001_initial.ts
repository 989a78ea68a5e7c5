import { type Kysely, sql } from 'kysely';

// Migrations are frozen in time: they must not depend on the current DB interface, hence Kysely<any>.

/** Users, rooms and what hangs off a room (roles, guests, bans). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('users')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('handle', 'text', (c) => c.notNull())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('users_handle_lower_key')
		.on('users')
		.unique()
		.expression(sql`lower(handle)`)
		.execute();
	// Prefix search (`LIKE 'ab%'`) can use a btree only with the pattern operator class.
	await db.schema
		.createIndex('users_handle_prefix_idx')
		.on('users')
		.expression(sql`lower(handle) text_pattern_ops`)
		.execute();
	await db.schema
		.createIndex('users_display_name_prefix_idx')
		.on('users')
		.expression(sql`lower(display_name) text_pattern_ops`)
		.execute();

	await db.schema
		.createTable('rooms')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('host_id', 'uuid', (c) => c.notNull().references('users.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('topics', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
		.addColumn('scheduled_for', 'timestamptz')
		.addColumn('visibility', 'text', (c) => c.notNull())
		.addColumn('speak_requests', 'text', (c) => c.notNull().defaultTo('everyone'))
		.addColumn('max_speakers', 'integer', (c) => c.notNull().defaultTo(13))
		.addColumn('state', 'text', (c) => c.notNull().defaultTo('scheduled'))
		.addColumn('started_at', 'timestamptz')
		.addColumn('ended_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint('rooms_visibility_check', sql`visibility in ('public', 'unlisted', 'private')`)
		.addCheckConstraint('rooms_speak_requests_check', sql`speak_requests in ('everyone', 'invited', 'off')`)
		.addCheckConstraint('rooms_max_speakers_check', sql`max_speakers between 1 and 50`)
		.addCheckConstraint('rooms_state_check', sql`state in ('scheduled', 'live', 'ended')`)
		.addCheckConstraint('rooms_topics_check', sql`cardinality(topics) <= 3`)
		.execute();
	// One index per listing order (see the rooms repository): live by start, scheduled by planned start,
	// ended by end, newest first.
	await db.schema.createIndex('rooms_live_idx').on('rooms').columns(['state', 'started_at', 'id']).execute();
	await db.schema
		.createIndex('rooms_scheduled_idx')
		.on('rooms')
		.columns(['state', 'scheduled_for', 'id'])
		.execute();
	await db.schema
		.createIndex('rooms_ended_idx')
		.on('rooms')
		.expression(sql`state, ended_at desc, id desc`)
		.execute();
	await db.schema.createIndex('rooms_host_idx').on('rooms').column('host_id').execute();

	await db.schema
		.createTable('room_roles')
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('appointed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('appointed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('room_roles_pkey', ['room_id', 'user_id'])
		.addCheckConstraint('room_roles_role_check', sql`role in ('cohost', 'moderator')`)
		.execute();
	await db.schema.createIndex('room_roles_user_idx').on('room_roles').column('user_id').execute();

	await db.schema
		.createTable('room_guests')
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('added_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('room_guests_pkey', ['room_id', 'user_id'])
		.addCheckConstraint('room_guests_kind_check', sql`kind in ('speaker', 'listener')`)
		.execute();
	await db.schema.createIndex('room_guests_user_idx').on('room_guests').column('user_id').execute();

	await db.schema
		.createTable('room_bans')
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('banned_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('banned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('room_bans_pkey', ['room_id', 'user_id'])
		.execute();
}

/** Drops everything {@link up} created. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['room_bans', 'room_guests', 'room_roles', 'rooms', 'users']) {
		await db.schema.dropTable(table).execute();
	}
}
