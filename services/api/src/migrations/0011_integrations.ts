import { type Kysely, sql } from 'kysely';

/**
 * Integrations: bot accounts (users owned by a user), personal API tokens (stored as SHA-256 hashes), and
 * webhooks with their delivery queue (Postgres rows, so a queued event survives an API restart and any
 * API node can deliver it).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('users')
		.addColumn('bot_owner_id', 'uuid', (c) => c.references('users.id').onDelete('cascade'))
		.execute();
	await db.schema
		.createTable('api_tokens')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		// Whom the token acts as (the owner, or one of the owner's bots).
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('prefix', 'text', (c) => c.notNull())
		.addColumn('scopes', sql`text[]`, (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_used_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('api_tokens_owner_idx').on('api_tokens').column('owner_id').execute();
	await db.schema
		.createTable('webhooks')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('url', 'text', (c) => c.notNull())
		// Kept as is: HMAC signing needs the secret itself, unlike token checks that only compare.
		.addColumn('secret', 'text', (c) => c.notNull())
		.addColumn('events', sql`text[]`, (c) => c.notNull())
		.addColumn('scope', 'text', (c) => c.notNull().defaultTo('own').check(sql`scope in ('own', 'all')`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('webhooks_owner_idx').on('webhooks').column('owner_id').execute();
	await db.schema
		.createTable('webhook_deliveries')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('webhook_id', 'uuid', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
		.addColumn('event', 'text', (c) => c.notNull())
		// The exact body sent (and signed) on every attempt.
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) =>
			c.notNull().defaultTo('pending').check(sql`state in ('pending', 'delivered', 'failed')`)
		)
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_attempt_at', 'timestamptz')
		.addColumn('last_status', 'integer')
		.addColumn('last_response_ms', 'integer')
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('delivered_at', 'timestamptz')
		.execute();
	await db.schema
		.createIndex('webhook_deliveries_due_idx')
		.on('webhook_deliveries')
		.columns(['state', 'next_attempt_at'])
		.execute();
	await db.schema
		.createIndex('webhook_deliveries_webhook_idx')
		.on('webhook_deliveries')
		.columns(['webhook_id', 'created_at'])
		.execute();
}

/** Drops what {@link up} made. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('webhook_deliveries').execute();
	await db.schema.dropTable('webhooks').execute();
	await db.schema.dropTable('api_tokens').execute();
	await db.schema.alterTable('users').dropColumn('bot_owner_id').execute();
}
