import { type Kysely, sql } from 'kysely';

/**
 * People and discovery: who follows whom, a profile (bio, avatar) and a tombstone for deleted
 * accounts, each room's language, and a search column the app writes with the text folded the way
 * people type it (Arabic letter forms, tashkeel, case), searched through a GIN index on its tsvector
 * (`simple` dictionary: no stemming, which works for Arabic and English alike and exists on PGlite).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('follows')
		.addColumn('follower_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('followee_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('follows_pkey', ['follower_id', 'followee_id'])
		.addCheckConstraint('follows_not_self_check', sql`follower_id <> followee_id`)
		.execute();
	// The primary key serves "whom does X follow"; this one serves "who follows X" (counts, fan-out).
	await db.schema
		.createIndex('follows_followee_idx')
		.on('follows')
		.columns(['followee_id', 'created_at'])
		.execute();

	await db.schema
		.alterTable('users')
		.addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
		// The avatar's version (a content hash); the image itself is a file under DATA_DIR.
		.addColumn('avatar', 'text')
		// Set when the account was deleted: the row stays, emptied, so past rooms and moderation
		// records keep their references without the person's name.
		.addColumn('deleted_at', 'timestamptz')
		.execute();

	await db.schema
		.alterTable('rooms')
		.addColumn('language', 'text')
		.addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
	await db.schema
		.alterTable('rooms')
		.addCheckConstraint('rooms_language_check', sql`language ~ '^[a-z]{2,3}$'`)
		.execute();
	await sql`create index rooms_search_idx on rooms using gin (to_tsvector('simple', search_text))`.execute(
		db
	);
	await db.schema.createIndex('rooms_language_idx').on('rooms').columns(['language', 'state']).execute();
}

/** Drops everything {@link up} created. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropIndex('rooms_language_idx').execute();
	await db.schema.dropIndex('rooms_search_idx').execute();
	await db.schema.alterTable('rooms').dropConstraint('rooms_language_check').execute();
	await db.schema.alterTable('rooms').dropColumn('search_text').dropColumn('language').execute();
	await db.schema
		.alterTable('users')
		.dropColumn('deleted_at')
		.dropColumn('avatar')
		.dropColumn('bio')
		.execute();
	await db.schema.dropTable('follows').execute();
}
