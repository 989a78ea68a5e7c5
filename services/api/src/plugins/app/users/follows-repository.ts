import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely, Transaction } from 'kysely';
import { found } from '../../../db/found.js';
import type { DB } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Who follows whom. */
		follows: FollowsRepository;
	}
}

/** How many people follow someone, and how many they follow. */
export interface FollowCounts {
	followers: number;
	following: number;
}

/** Follows over kysely: one row per (follower, followee); following is idempotent both ways. */
export function createFollowsRepository(db: Kysely<DB>) {
	return {
		/** `followerId` follows `followeeId` (idempotent); the caller refuses following oneself. */
		async follow(followerId: string, followeeId: string, trx?: Transaction<DB>): Promise<void> {
			await (trx ?? db)
				.insertInto('follows')
				.values({ follower_id: followerId, followee_id: followeeId })
				.onConflict((c) => c.columns(['follower_id', 'followee_id']).doNothing())
				.execute();
		},

		/** `followerId` stops following `followeeId` (idempotent). */
		async unfollow(followerId: string, followeeId: string, trx?: Transaction<DB>): Promise<void> {
			await (trx ?? db)
				.deleteFrom('follows')
				.where('follower_id', '=', followerId)
				.where('followee_id', '=', followeeId)
				.execute();
		},

		/** Whether `followerId` follows `followeeId`. */
		async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
			return found(
				db
					.selectFrom('follows')
					.select('follower_id')
					.where('follower_id', '=', followerId)
					.where('followee_id', '=', followeeId)
			);
		},

		/** Follower and following counts of `userId` (deleted accounts are not counted). */
		async counts(userId: string): Promise<FollowCounts> {
			const row = await db
				.selectNoFrom((eb) => [
					eb
						.selectFrom('follows')
						.innerJoin('users', 'users.id', 'follows.follower_id')
						.select((e) => e.fn.countAll<string>().as('n'))
						.where('follows.followee_id', '=', userId)
						.where('users.deleted_at', 'is', null)
						.as('followers'),
					eb
						.selectFrom('follows')
						.innerJoin('users', 'users.id', 'follows.followee_id')
						.select((e) => e.fn.countAll<string>().as('n'))
						.where('follows.follower_id', '=', userId)
						.where('users.deleted_at', 'is', null)
						.as('following'),
				])
				.executeTakeFirstOrThrow();

			return { followers: Number(row.followers), following: Number(row.following) };
		},

		/** The ids of everyone following `userId` (for fan-out: notifications, "for you"). */
		async followerIds(userId: string): Promise<string[]> {
			const rows = await db
				.selectFrom('follows')
				.select('follower_id')
				.where('followee_id', '=', userId)
				.orderBy('created_at')
				.execute();

			return rows.map((r) => r.follower_id);
		},

		/** Removes every follow to or from `userId` (account deletion). */
		async removeAll(userId: string, trx?: Transaction<DB>): Promise<void> {
			await (trx ?? db)
				.deleteFrom('follows')
				.where((eb) => eb.or([eb('follower_id', '=', userId), eb('followee_id', '=', userId)]))
				.execute();
		},
	};
}

/** What {@link createFollowsRepository} returns. */
export type FollowsRepository = ReturnType<typeof createFollowsRepository>;

/** Decorates the app with `follows`. */
export default fp(
	async function followsRepository(app: FastifyInstance) {
		app.decorate('follows', createFollowsRepository(app.db));
	},
	{ name: 'follows-repository', dependencies: ['db'] }
);
