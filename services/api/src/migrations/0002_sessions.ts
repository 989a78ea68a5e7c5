import { type Kysely, sql } from 'kysely';

/**
 * Server-side sessions: every user token names one (`sid`), and a token whose session row is gone no
 * longer authenticates. Tokens issued before this migration carry no `sid`, so their holders sign in again.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('sessions')
		.addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();
}

/** Drops the sessions (every token stops working). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('sessions').execute();
}
