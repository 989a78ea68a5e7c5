import type { UserSummary } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { found } from '../../../db/found.js';
import type { DB } from '../../../db/schema.js';
import { HandleTakenError, toUserSummary } from '../users/users-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Bot accounts. */
		bots: Bots;
	}
}

/** Postgres unique_violation. */
const UNIQUE_VIOLATION = '23505';
// No argon2 hash has this shape, so no password ever matches: a bot cannot log in, only its tokens act.
const NO_PASSWORD = '!bot';

/** Bot accounts: users owned by a user, acting only through the API tokens their owner makes for them. */
export function createBots(db: Kysely<DB>) {
	return {
		/** A new bot of `ownerId`; throws {@link HandleTakenError} when the handle is taken. */
		async create(ownerId: string, values: { handle: string; displayName: string }): Promise<UserSummary> {
			try {
				const row = await db
					.insertInto('users')
					.values({
						handle: values.handle,
						display_name: values.displayName,
						password_hash: NO_PASSWORD,
						bot_owner_id: ownerId,
						created_at: new Date(),
					})
					.returning(['id', 'handle', 'display_name'])
					.executeTakeFirstOrThrow();

				return toUserSummary(row);
			} catch (error) {
				if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
					throw new HandleTakenError();
				}
				throw error;
			}
		},

		/** The bots of `ownerId`, oldest first. */
		async list(ownerId: string): Promise<UserSummary[]> {
			const rows = await db
				.selectFrom('users')
				.select(['id', 'handle', 'display_name'])
				.where('bot_owner_id', '=', ownerId)
				.orderBy('created_at')
				.execute();

			return rows.map(toUserSummary);
		},

		/** Whether `botId` is a bot of `ownerId`. */
		async isOwnedBy(botId: string, ownerId: string): Promise<boolean> {
			return found(
				db.selectFrom('users').select('id').where('id', '=', botId).where('bot_owner_id', '=', ownerId)
			);
		},
	};
}

/** What {@link createBots} returns. */
export type Bots = ReturnType<typeof createBots>;

/** Decorates the app with `bots`. */
export default fp(
	async function bots(app: FastifyInstance) {
		app.decorate('bots', createBots(app.db));
	},
	{ name: 'bots', dependencies: ['db'] }
);
