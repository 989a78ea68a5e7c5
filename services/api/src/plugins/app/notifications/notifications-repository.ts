import {
	NOTIFICATION_KINDS,
	type Notification,
	type NotificationKind,
	type NotificationPreference,
} from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { found } from '../../../db/found.js';
import type { DB } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** The notification centre's storage and each person's per-kind preferences. */
		notificationsRepository: NotificationsRepository;
	}
}

/** How many items the centre lists (the newest). */
export const NOTIFICATION_PAGE = 50;

/** Notifications over kysely. */
export function createNotificationsRepository(db: Kysely<DB>) {
	function base() {
		return db
			.selectFrom('notifications as n')
			.leftJoin('rooms as r', 'r.id', 'n.room_id')
			.leftJoin('users as a', 'a.id', 'n.actor_id')
			.select([
				'n.id',
				'n.kind',
				'n.created_at',
				'n.read_at',
				'r.id as room_id',
				'r.title as room_title',
				'r.state as room_state',
				'r.scheduled_for as room_scheduled_for',
				'a.id as actor_id',
				'a.handle as actor_handle',
				'a.display_name as actor_display_name',
			]);
	}
	type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

	function toNotification(row: Row): Notification {
		return {
			id: row.id,
			kind: row.kind,
			room:
				row.room_id && row.room_title !== null && row.room_state !== null
					? {
							id: row.room_id,
							title: row.room_title,
							state: row.room_state,
							scheduledFor: row.room_scheduled_for?.toISOString() ?? null,
						}
					: null,
			actor:
				row.actor_id && row.actor_handle !== null && row.actor_display_name !== null
					? { id: row.actor_id, handle: row.actor_handle, displayName: row.actor_display_name }
					: null,
			createdAt: row.created_at.toISOString(),
			read: row.read_at !== null,
		};
	}

	return {
		/** Stores one notification per recipient; returns them as the centre shows them, by recipient. */
		async insert(
			recipients: readonly string[],
			item: { kind: NotificationKind; roomId: string | null; actorId: string | null }
		): Promise<Map<string, Notification>> {
			if (recipients.length === 0) {
				return new Map();
			}
			const rows = await db
				.insertInto('notifications')
				.values(
					recipients.map((userId) => ({
						user_id: userId,
						kind: item.kind,
						room_id: item.roomId,
						actor_id: item.actorId,
					}))
				)
				.returning(['id', 'user_id'])
				.execute();
			const full = await base()
				.where(
					'n.id',
					'in',
					rows.map((r) => r.id)
				)
				.execute();
			const byId = new Map(full.map((r) => [r.id, toNotification(r)]));

			return new Map(rows.map((r) => [r.user_id, byId.get(r.id)!]));
		},

		/** The newest items of `userId`, newest first. */
		async list(userId: string, limit = NOTIFICATION_PAGE): Promise<Notification[]> {
			const rows = await base()
				.where('n.user_id', '=', userId)
				.orderBy('n.created_at', 'desc')
				.orderBy('n.id', 'desc')
				.limit(limit)
				.execute();

			return rows.map(toNotification);
		},

		/** How many items of `userId` are unread. */
		async unread(userId: string): Promise<number> {
			const row = await db
				.selectFrom('notifications')
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.where('user_id', '=', userId)
				.where('read_at', 'is', null)
				.executeTakeFirstOrThrow();

			return Number(row.n);
		},

		/** Marks one item of `userId` read; false when they have no such item. */
		async markRead(userId: string, id: string): Promise<boolean> {
			return found(
				db
					.updateTable('notifications')
					.set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(new Date())) }))
					.where('id', '=', id)
					.where('user_id', '=', userId)
					.returning('id')
			);
		},

		/** Marks every item of `userId` read. */
		async markAllRead(userId: string): Promise<void> {
			await db
				.updateTable('notifications')
				.set({ read_at: new Date() })
				.where('user_id', '=', userId)
				.where('read_at', 'is', null)
				.execute();
		},

		/** `userId`'s choice for every kind (both channels on unless they turned one off). */
		async preferences(userId: string): Promise<NotificationPreference[]> {
			const rows = await db
				.selectFrom('notification_preferences')
				.select(['kind', 'in_app', 'push'])
				.where('user_id', '=', userId)
				.execute();
			const byKind = new Map(rows.map((r) => [r.kind, r]));

			return NOTIFICATION_KINDS.map((kind) => {
				const row = byKind.get(kind);

				return { kind, inApp: row?.in_app ?? true, push: row?.push ?? true };
			});
		},

		/** Stores the given kinds' choices (kinds left out keep theirs). */
		async setPreferences(userId: string, preferences: readonly NotificationPreference[]): Promise<void> {
			if (preferences.length === 0) {
				return;
			}
			await db
				.insertInto('notification_preferences')
				.values(preferences.map((p) => ({ user_id: userId, kind: p.kind, in_app: p.inApp, push: p.push })))
				.onConflict((c) =>
					c.columns(['user_id', 'kind']).doUpdateSet((eb) => ({
						in_app: eb.ref('excluded.in_app'),
						push: eb.ref('excluded.push'),
					}))
				)
				.execute();
		},

		/** Of `userIds`, who turned `kind` off, per channel. */
		async optedOut(
			userIds: readonly string[],
			kind: NotificationKind
		): Promise<{ inApp: Set<string>; push: Set<string> }> {
			const inApp = new Set<string>();
			const push = new Set<string>();
			if (userIds.length > 0) {
				const rows = await db
					.selectFrom('notification_preferences')
					.select(['user_id', 'in_app', 'push'])
					.where('kind', '=', kind)
					.where('user_id', 'in', userIds)
					.execute();
				for (const row of rows) {
					if (!row.in_app) {
						inApp.add(row.user_id);
					}
					if (!row.push) {
						push.add(row.user_id);
					}
				}
			}

			return { inApp, push };
		},
	};
}

/** What {@link createNotificationsRepository} returns. */
export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;

/** Decorates the app with `notificationsRepository`. */
export default fp(
	async function notificationsRepository(app: FastifyInstance) {
		app.decorate('notificationsRepository', createNotificationsRepository(app.db));
	},
	{ name: 'notifications-repository', dependencies: ['db'] }
);
