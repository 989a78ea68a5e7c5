import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../db/schema.js';
import { NotFoundError } from '../../../errors.js';
import { authorize, type RoomAction } from '../authorization.js';
import type { RoomContext, RoomsRepository } from './rooms-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Loads a room for an action and applies the authorization rules. */
		roomAccess: RoomAccess;
	}
}

/** A room context with the caller's role once authorized. */
export type AuthorizedRoom = RoomContext & { role: ReturnType<typeof authorize> };

/** Reads and changes rooms only after {@link authorize} allowed the caller. */
export function createRoomAccess(db: Kysely<DB>, repo: RoomsRepository) {
	return {
		/** The room for a read-only action; throws 401/403/404/409 as the rules say. */
		async read(roomId: string, userId: string | null, action: RoomAction): Promise<AuthorizedRoom> {
			const context = await repo.context(roomId, userId);
			if (!context) {
				throw new NotFoundError('room');
			}

			return { ...context, role: authorize(context.room, context.caller, action) };
		},

		/**
		 * Runs `change` in a transaction holding the room row's lock, after the rules allowed the action;
		 * concurrent changes to one room (two co-host appointments) therefore serialize.
		 */
		async change<T>(
			roomId: string,
			userId: string | null,
			action: RoomAction,
			change: (trx: Transaction<DB>, room: AuthorizedRoom) => Promise<T>
		): Promise<T> {
			return db.transaction().execute(async (trx) => {
				const context = await repo.context(roomId, userId, { trx, lock: true });
				if (!context) {
					throw new NotFoundError('room');
				}

				return change(trx, { ...context, role: authorize(context.room, context.caller, action) });
			});
		},
	};
}

/** What {@link createRoomAccess} returns. */
export type RoomAccess = ReturnType<typeof createRoomAccess>;

/** Decorates the app with `roomAccess`. */
export default fp(
	async function roomAccess(app: FastifyInstance) {
		app.decorate('roomAccess', createRoomAccess(app.db, app.roomsRepository));
	},
	{ name: 'room-access', dependencies: ['db', 'rooms-repository'] }
);
