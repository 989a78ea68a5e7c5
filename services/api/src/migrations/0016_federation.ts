import { type Kysely, sql } from 'kysely';

/**
 * Federation (ActivityPub, issue 18): Fedify's key–value store (caches, idempotence), each opted-in user's
 * actor with its key pairs, their fediverse followers, the remote accounts local users follow, and the
 * posts those accounts sent us (their rooms).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('federation_kv')
		.addColumn('key', sql`text[]`, (c) => c.primaryKey())
		.addColumn('value', 'jsonb', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('federation_kv_expires_idx').on('federation_kv').column('expires_at').execute();

	await db.schema
		.createTable('federation_actors')
		.addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
		.addColumn('enabled', 'boolean', (c) => c.notNull())
		// JWKs, made the first time the user turns sharing on: RSA for HTTP Signatures, Ed25519 for proofs.
		.addColumn('keys', 'jsonb', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	await db.schema
		.createTable('federation_followers')
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('actor_iri', 'text', (c) => c.notNull())
		.addColumn('inbox', 'text', (c) => c.notNull())
		.addColumn('shared_inbox', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addPrimaryKeyConstraint('federation_followers_pkey', ['user_id', 'actor_iri'])
		.execute();

	await db.schema
		.createTable('federation_following')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('actor_iri', 'text', (c) => c.notNull())
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('inbox', 'text', (c) => c.notNull())
		.addColumn('follow_iri', 'text', (c) => c.notNull().unique())
		.addColumn('accepted_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('federation_following_user_actor_key', ['user_id', 'actor_iri'])
		.execute();
	await db.schema
		.createIndex('federation_following_actor_idx')
		.on('federation_following')
		.column('actor_iri')
		.execute();

	await db.schema
		.createTable('federation_posts')
		.addColumn('object_iri', 'text', (c) => c.primaryKey())
		.addColumn('actor_iri', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('content', 'text', (c) => c.notNull())
		.addColumn('url', 'text')
		.addColumn('starts_at', 'timestamptz')
		.addColumn('ends_at', 'timestamptz')
		.addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema
		.createIndex('federation_posts_actor_idx')
		.on('federation_posts')
		.columns(['actor_iri', 'received_at'])
		.execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'federation_posts',
		'federation_following',
		'federation_followers',
		'federation_actors',
		'federation_kv',
	]) {
		await db.schema.dropTable(table).execute();
	}
}
