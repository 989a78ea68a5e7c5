import type { UserSummary } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { toUserSummary } from '../users/users-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Who blocked whom. */
		blocks: Blocks;
	}
}

/**
 * People blocking people: a blocked user cannot join rooms the blocker hosts (rooms-repository's
 * `context`), and the blocker does not see their rooms in discovery nor their chat messages.
 */
export function createBlocks(db: Kysely<DB>) {
	return {
		/** The people `blockerId` blocked, most recent first. */
		async list(blockerId: string): Promise<UserSummary[]> {
			const rows = await db
				.selectFrom('user_blocks')
				.innerJoin('users', 'users.id', 'user_blocks.blocked_id')
				.select(['users.id', 'users.handle', 'users.display_name'])
				.where('user_blocks.blocker_id', '=', blockerId)
				.orderBy('user_blocks.created_at', 'desc')
				.execute();

			return rows.map(toUserSummary);
		},

		/** Blocks (idempotent). */
		async add(blockerId: string, blockedId: string): Promise<void> {
			await db
				.insertInto('user_blocks')
				.values({ blocker_id: blockerId, blocked_id: blockedId })
				.onConflict((c) => c.columns(['blocker_id', 'blocked_id']).doNothing())
				.execute();
		},

		/** Unblocks (idempotent). */
		async remove(blockerId: string, blockedId: string): Promise<void> {
			await db
				.deleteFrom('user_blocks')
				.where('blocker_id', '=', blockerId)
				.where('blocked_id', '=', blockedId)
				.execute();
		},
	};
}

/** What {@link createBlocks} returns. */
export type Blocks = ReturnType<typeof createBlocks>;

/** Decorates the app with `blocks`. */
export default fp(
	async function blocks(app: FastifyInstance) {
		app.decorate('blocks', createBlocks(app.db));
	},
	{ name: 'blocks', dependencies: ['db'] }
);
