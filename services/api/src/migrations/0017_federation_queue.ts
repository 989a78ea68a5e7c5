import { type Kysely, sql } from 'kysely';

/**
 * Federation's delivery queue in Postgres (was in process): a delivery queued when an API node stops is
 * sent after the restart or by another node. Rows are claimed with a lease, like webhook deliveries.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('federation_queue')
		.addColumn('id', 'bigserial', (c) => c.primaryKey())
		.addColumn('message', 'jsonb', (c) => c.notNull())
		.addColumn('ordering_key', 'text')
		.addColumn('due_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('lease_until', 'timestamptz')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('federation_queue_due_idx').on('federation_queue').column('due_at').execute();
	await db.schema
		.createIndex('federation_queue_ordering_idx')
		.on('federation_queue')
		.columns(['ordering_key', 'id'])
		.execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('federation_queue').execute();
}
