import type { Kysely } from 'kysely';

/**
 * Which SFU node captures each recording: a recording still `recording` whose node left the registry
 * is listed `partial` (the node was lost; it finishes the files when it comes back).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('recordings').addColumn('node_id', 'text').execute();
}

/** Drops the column. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('recordings').dropColumn('node_id').execute();
}
