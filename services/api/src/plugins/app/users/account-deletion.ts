import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createFederationRepository } from '../federation/federation-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Deletes accounts. */
		accountDeletion: AccountDeletion;
	}
}

/**
 * Deleting an account: the person's live rooms end for everyone, their scheduled rooms are cancelled,
 * their sessions end, and what is personal (name, handle, bio, avatar, password, follows, blocks, room
 * roles and guest places, reminders, notifications, push subscriptions, the calendar feed, API tokens,
 * webhooks, and the fediverse actor with its keys, followers and follows, its followers told) goes.
 * Ended rooms and moderation records (the moderation log, reports) stay, pointing at an emptied row that
 * names nobody.
 */
export function createAccountDeletion(app: FastifyInstance) {
	const {
		db,
		roomsRepository,
		roomEvents,
		moderationLog,
		placement,
		usersRepository,
		follows,
		sessions,
		avatars,
	} = app;

	return {
		/** Deletes `userId`'s account; their tokens stop working at once. */
		async delete(userId: string, log: FastifyBaseLogger): Promise<void> {
			const hosted = await db
				.selectFrom('rooms')
				.select(['id', 'state'])
				.where('host_id', '=', userId)
				.where('state', 'in', ['live', 'scheduled'])
				.execute();
			// Fediverse followers are told first, while the actor and its keys still exist.
			await app.federation?.accountDeleting(userId, log);
			const ended: string[] = [];
			await db.transaction().execute(async (trx) => {
				for (const room of hosted) {
					if (room.state === 'live') {
						await roomsRepository.update(room.id, { state: 'ended', ended_at: new Date() }, trx);
						ended.push(room.id);
					} else {
						await roomsRepository.remove(room.id, trx);
					}
				}
				await follows.removeAll(userId, trx);
				await trx
					.deleteFrom('user_blocks')
					.where((eb) => eb.or([eb('blocker_id', '=', userId), eb('blocked_id', '=', userId)]))
					.execute();
				await trx.deleteFrom('room_roles').where('user_id', '=', userId).execute();
				await trx.deleteFrom('room_guests').where('user_id', '=', userId).execute();
				// Reach and integrations: reminders, notifications and their settings, push subscriptions, the
				// calendar feed, API tokens (the person's and their bots') and webhooks.
				for (const table of [
					'room_reminders',
					'notifications',
					'notification_preferences',
					'push_subscriptions',
					'calendar_feeds',
				] as const) {
					await trx.deleteFrom(table).where('user_id', '=', userId).execute();
				}
				await trx
					.deleteFrom('api_tokens')
					.where((eb) => eb.or([eb('user_id', '=', userId), eb('owner_id', '=', userId)]))
					.execute();
				await trx.deleteFrom('webhooks').where('owner_id', '=', userId).execute();
				// Federation's rows (the actor's keys, followers, follows), also when FEDERATION is off now.
				await createFederationRepository(db).removeUser(userId, trx);
				await usersRepository.tombstone(userId, trx);
			});
			// The name is gone from the ended rooms' search text too.
			await roomsRepository.refreshHostSearchText(userId);
			for (const roomId of ended) {
				await roomEvents.publish({ type: 'room.ended', data: { roomId } });
				await moderationLog.record(roomId, { action: 'end', actorId: userId, targetId: null });
				await placement
					.forget(roomId)
					.catch((error: unknown) => log.warn({ err: error }, 'delete | forget node'));
			}
			await avatars.remove(userId);
			await sessions.revokeAll(userId);
		},
	};
}

/** What {@link createAccountDeletion} returns. */
export type AccountDeletion = ReturnType<typeof createAccountDeletion>;

/** Decorates the app with `accountDeletion`. */
export default fp(
	async function accountDeletion(app: FastifyInstance) {
		app.decorate('accountDeletion', createAccountDeletion(app));
	},
	{
		name: 'account-deletion',
		dependencies: [
			'db',
			'rooms-repository',
			'room-events',
			'moderation-log',
			'placement',
			'users-repository',
			'follows-repository',
			'sessions',
			'avatars',
		],
	}
);
