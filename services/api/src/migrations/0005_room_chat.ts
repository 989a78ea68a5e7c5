import { type Kysely, sql } from 'kysely';

/**
 * Chat beside the stage: who may write, chosen per room (`rooms.chat`: off, everyone or stage; existing
 * rooms get everyone), and the messages, kept with the room. A deleted message keeps its row (who deleted
 * it and when) so the moderation record stays whole; it is no longer shown.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('rooms')
		.addColumn('chat', 'text', (c) =>
			c.notNull().defaultTo('everyone').check(sql`chat in ('off', 'everyone', 'stage')`)
		)
		.execute();
	await db.schema
		.createTable('chat_messages')
		.addColumn('id', 'uuid', (c) => c.primaryKey())
		.addColumn('room_id', 'uuid', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
		.addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'timestamptz', (c) => c.notNull())
		.addColumn('deleted_at', 'timestamptz')
		.addColumn('deleted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
		.execute();
	await db.schema
		.createIndex('chat_messages_room_sent_idx')
		.on('chat_messages')
		.columns(['room_id', 'sent_at'])
		.execute();
}

/** Drops the chat. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('chat_messages').execute();
	await db.schema.alterTable('rooms').dropColumn('chat').execute();
}
