import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely, Transaction } from 'kysely';
import { found } from '../../../db/found.js';
import type { DB } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** "Remind me" on scheduled rooms. */
		reminders: RemindersRepository;
	}
}

type Executor = Kysely<DB> | Transaction<DB>;

/** Reminders over kysely: one row per (room, user); asking twice or withdrawing twice is a no-op. */
export function createRemindersRepository(db: Kysely<DB>) {
	return {
		/** `userId` asks to be reminded when `roomId` starts (idempotent). */
		async add(roomId: string, userId: string, trx?: Executor): Promise<void> {
			await (trx ?? db)
				.insertInto('room_reminders')
				.values({ room_id: roomId, user_id: userId })
				.onConflict((c) => c.columns(['room_id', 'user_id']).doNothing())
				.execute();
		},

		/** `userId` no longer wants the reminder (idempotent). */
		async remove(roomId: string, userId: string, trx?: Executor): Promise<void> {
			await (trx ?? db)
				.deleteFrom('room_reminders')
				.where('room_id', '=', roomId)
				.where('user_id', '=', userId)
				.execute();
		},

		/** Whether `userId` asked about `roomId`. */
		async has(roomId: string, userId: string): Promise<boolean> {
			return found(
				db
					.selectFrom('room_reminders')
					.select('user_id')
					.where('room_id', '=', roomId)
					.where('user_id', '=', userId)
			);
		},

		/** How many asked about `roomId`. */
		async count(roomId: string): Promise<number> {
			const row = await db
				.selectFrom('room_reminders')
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.where('room_id', '=', roomId)
				.executeTakeFirstOrThrow();

			return Number(row.n);
		},

		/** Who asked about `roomId`. */
		async userIds(roomId: string, trx?: Executor): Promise<string[]> {
			const rows = await (trx ?? db)
				.selectFrom('room_reminders')
				.select('user_id')
				.where('room_id', '=', roomId)
				.orderBy('created_at')
				.execute();

			return rows.map((r) => r.user_id);
		},
	};
}

/** What {@link createRemindersRepository} returns. */
export type RemindersRepository = ReturnType<typeof createRemindersRepository>;

/** Decorates the app with `reminders`. */
export default fp(
	async function remindersRepository(app: FastifyInstance) {
		app.decorate('reminders', createRemindersRepository(app.db));
	},
	{ name: 'reminders-repository', dependencies: ['db'] }
);
