import { CHAT_LIMITS, type ChatMessage, type ChatMode } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { toUserSummary } from '../users/users-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** A room's chat messages (written by the SFU through the internal routes). */
		chatRepository: ChatRepository;
	}
}

/** The chat kept with each room: what the SFU stores, deletes and reads back for late joiners. */
export function createChatRepository(db: Kysely<DB>) {
	return {
		/** The room's chat mode, or undefined when there is no such room. */
		async mode(roomId: string): Promise<ChatMode | undefined> {
			const row = await db.selectFrom('rooms').select('chat').where('id', '=', roomId).executeTakeFirst();

			return row?.chat;
		},

		/** The last messages not deleted, oldest first. */
		async last(roomId: string, limit: number = CHAT_LIMITS.history): Promise<ChatMessage[]> {
			const rows = await db
				.selectFrom('chat_messages')
				.innerJoin('users', 'users.id', 'chat_messages.user_id')
				.select([
					'chat_messages.id as message_id',
					'chat_messages.body',
					'chat_messages.sent_at',
					'users.id',
					'users.handle',
					'users.display_name',
				])
				.where('chat_messages.room_id', '=', roomId)
				.where('chat_messages.deleted_at', 'is', null)
				.orderBy('chat_messages.sent_at', 'desc')
				.orderBy('chat_messages.id', 'desc')
				.limit(limit)
				.execute();

			return rows.reverse().map((r) => ({
				id: r.message_id,
				user: toUserSummary(r),
				text: r.body,
				at: r.sent_at.getTime(),
			}));
		},

		/** Stores a message (a repeated id is ignored: the SFU may retry). */
		async insert(roomId: string, message: { id: string; userId: string; text: string; at: number }) {
			await db
				.insertInto('chat_messages')
				.values({
					id: message.id,
					room_id: roomId,
					user_id: message.userId,
					body: message.text,
					sent_at: new Date(message.at),
				})
				.onConflict((c) => c.column('id').doNothing())
				.execute();
		},

		/** Marks a message deleted; false when the room has no such message. */
		async markDeleted(roomId: string, messageId: string, by: string): Promise<boolean> {
			const result = await db
				.updateTable('chat_messages')
				.set({ deleted_at: new Date(), deleted_by: by })
				.where('room_id', '=', roomId)
				.where('id', '=', messageId)
				.executeTakeFirst();

			return Number(result.numUpdatedRows) > 0;
		},
	};
}

/** What {@link createChatRepository} returns. */
export type ChatRepository = ReturnType<typeof createChatRepository>;

/** Decorates the app with `chatRepository`. */
export default fp(
	async function chatRepository(app: FastifyInstance) {
		app.decorate('chatRepository', createChatRepository(app.db));
	},
	{ name: 'chat-repository', dependencies: ['db'] }
);
