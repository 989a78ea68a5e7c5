import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { toUserSummary } from '../users/users-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Who was removed from a room, and lifting a removal. */
		roomBans: RoomBans;
	}
}

/** Users removed from rooms (recorded by the SFU through the internal route), for hosts to review and lift. */
export function createRoomBans(db: Kysely<DB>) {
	return {
		/** The room's removals, oldest first, with who was removed, by whom and when. */
		async list(roomId: string) {
			const rows = await db
				.selectFrom('room_bans')
				.innerJoin('users as banned', 'banned.id', 'room_bans.user_id')
				.leftJoin('users as by', 'by.id', 'room_bans.banned_by')
				.select([
					'banned.id',
					'banned.handle',
					'banned.display_name',
					'by.id as by_id',
					'by.handle as by_handle',
					'by.display_name as by_display_name',
					'room_bans.banned_at',
				])
				.where('room_bans.room_id', '=', roomId)
				.orderBy('room_bans.banned_at')
				.orderBy('banned.id')
				.execute();

			return rows.map((r) => ({
				user: toUserSummary(r),
				bannedBy:
					r.by_id === null || r.by_handle === null || r.by_display_name === null
						? null
						: toUserSummary({ id: r.by_id, handle: r.by_handle, display_name: r.by_display_name }),
				bannedAt: r.banned_at.toISOString(),
			}));
		},

		/** Lifts a removal; true when there was one. */
		async remove(roomId: string, userId: string, trx?: Transaction<DB>): Promise<boolean> {
			const removed = await (trx ?? db)
				.deleteFrom('room_bans')
				.where('room_id', '=', roomId)
				.where('user_id', '=', userId)
				.executeTakeFirst();

			return Number(removed.numDeletedRows) > 0;
		},
	};
}

/** What {@link createRoomBans} returns. */
export type RoomBans = ReturnType<typeof createRoomBans>;

/** Decorates the app with `roomBans`. */
export default fp(
	async function roomBans(app: FastifyInstance) {
		app.decorate('roomBans', createRoomBans(app.db));
	},
	{ name: 'room-bans', dependencies: ['db'] }
);
