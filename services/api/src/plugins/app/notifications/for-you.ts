import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { isRoomMember } from '../rooms/room-filters.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** The rooms of a person's "For you": followed hosts' and reminded rooms. */
		forYou: ForYou;
	}
}

/** How many rooms "For you" shows. */
export const FOR_YOU_LIMIT = 12;

/** "For you" over kysely. */
export function createForYou(db: Kysely<DB>) {
	return {
		/**
		 * Ids of live and scheduled rooms `userId` asked to be reminded of or whose host they follow, that
		 * they may see (public; private with a place in it; unlisted only when reminded), not their own, no
		 * host they blocked or who blocked them; live first (newest start), then by planned start (unplanned ones last, oldest first).
		 */
		async roomIds(userId: string): Promise<string[]> {
			const rows = await db
				.selectFrom('rooms')
				.select('rooms.id')
				.where('rooms.state', 'in', ['scheduled', 'live'])
				.where('rooms.host_id', '<>', userId)
				.where((eb) => {
					const reminded = eb.exists(
						eb
							.selectFrom('room_reminders')
							.select(sql`1`.as('one'))
							.whereRef('room_reminders.room_id', '=', 'rooms.id')
							.where('room_reminders.user_id', '=', userId)
					);
					const followed = eb.exists(
						eb
							.selectFrom('follows')
							.select(sql`1`.as('one'))
							.whereRef('follows.followee_id', '=', 'rooms.host_id')
							.where('follows.follower_id', '=', userId)
					);
					const member = isRoomMember(eb, userId);
					const blocked = eb.exists(
						eb
							.selectFrom('user_blocks')
							.select(sql`1`.as('one'))
							.where((b) =>
								b.or([
									b.and([
										b('user_blocks.blocker_id', '=', userId),
										b('user_blocks.blocked_id', '=', b.ref('rooms.host_id')),
									]),
									b.and([
										b('user_blocks.blocker_id', '=', b.ref('rooms.host_id')),
										b('user_blocks.blocked_id', '=', userId),
									]),
								])
							)
					);

					return eb.and([
						eb.or([reminded, followed]),
						eb.not(blocked),
						eb.or([
							eb('rooms.visibility', '=', 'public'),
							eb.and([eb('rooms.visibility', '=', 'private'), member]),
							eb.and([eb('rooms.visibility', '=', 'unlisted'), reminded]),
						]),
					]);
				})
				.orderBy(sql`case when rooms.state = 'live' then 0 else 1 end`)
				.orderBy('rooms.started_at', (ob) => ob.desc().nullsLast())
				.orderBy('rooms.scheduled_for', (ob) => ob.asc().nullsLast())
				.orderBy('rooms.created_at')
				.orderBy('rooms.id')
				.limit(FOR_YOU_LIMIT)
				.execute();

			return rows.map((r) => r.id);
		},
	};
}

/** What {@link createForYou} returns. */
export type ForYou = ReturnType<typeof createForYou>;

/** Decorates the app with `forYou`. */
export default fp(
	async function forYou(app: FastifyInstance) {
		app.decorate('forYou', createForYou(app.db));
	},
	{ name: 'for-you', dependencies: ['db'] }
);
