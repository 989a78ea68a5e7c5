import { randomUUID } from 'node:crypto';
import type { InternalModerationEntry, ModerationAction, ModerationEntry } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { RoomEventsPublisher } from '../rooms/room-events.js';
import { toUserSummary } from '../users/users-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Every moderation act of each room, kept with the room. */
		moderationLog: ModerationLogRepository;
	}
}

/** One room's moderation log in Postgres: the SFU's acts (internal route) and the API's own. */
export function createModerationLog(db: Kysely<DB>, events: RoomEventsPublisher) {
	async function entries(roomId: string, ids?: readonly string[]): Promise<ModerationEntry[]> {
		let query = db
			.selectFrom('moderation_log as m')
			.leftJoin('users as actor', 'actor.id', 'm.actor_id')
			.leftJoin('users as target', 'target.id', 'm.target_id')
			.select([
				'm.id',
				'm.action',
				'm.reason',
				'm.detail',
				'm.at',
				'actor.id as actor_id',
				'actor.handle as actor_handle',
				'actor.display_name as actor_name',
				'target.id as target_id',
				'target.handle as target_handle',
				'target.display_name as target_name',
			])
			.where('m.room_id', '=', roomId);
		if (ids) {
			query = query.where('m.id', 'in', ids);
		}
		const rows = await query.orderBy('m.at').orderBy('m.id').execute();

		return rows.map((r) => ({
			id: r.id,
			at: r.at.getTime(),
			action: r.action as ModerationAction,
			actor:
				r.actor_id && r.actor_handle && r.actor_name
					? toUserSummary({ id: r.actor_id, handle: r.actor_handle, display_name: r.actor_name })
					: null,
			target:
				r.target_id && r.target_handle && r.target_name
					? toUserSummary({ id: r.target_id, handle: r.target_handle, display_name: r.target_name })
					: null,
			reason: r.reason,
			detail: r.detail,
		}));
	}

	return {
		/** The room's log, oldest first. */
		list: (roomId: string) => entries(roomId),

		/** Keeps an entry the SFU recorded (a repeated id is ignored). */
		async insert(roomId: string, entry: InternalModerationEntry): Promise<void> {
			await db
				.insertInto('moderation_log')
				.values({
					id: entry.id,
					room_id: roomId,
					action: entry.action,
					actor_id: entry.actorId,
					target_id: entry.targetId,
					reason: entry.reason,
					detail: entry.detail,
					at: new Date(entry.at),
				})
				.onConflict((c) => c.column('id').doNothing())
				.execute();
		},

		/**
		 * Records an act the API did (role change, ban by handle, unban) and tells the live room, so its
		 * moderators see it as it happens.
		 */
		async record(
			roomId: string,
			act: {
				action: ModerationAction;
				actorId: string;
				targetId: string | null;
				reason?: string;
				detail?: string;
			}
		): Promise<void> {
			const id = randomUUID();
			await this.insert(roomId, {
				id,
				at: Date.now(),
				action: act.action,
				actorId: act.actorId,
				targetId: act.targetId,
				reason: act.reason?.trim() || null,
				detail: act.detail ?? null,
			});
			const [entry] = await entries(roomId, [id]);
			if (entry) {
				await events.publish({ type: 'room.moderation', data: { roomId, entry } });
			}
		},
	};
}

/** What {@link createModerationLog} returns. */
export type ModerationLogRepository = ReturnType<typeof createModerationLog>;

/** Decorates the app with `moderationLog`. */
export default fp(
	async function moderationLog(app: FastifyInstance) {
		app.decorate('moderationLog', createModerationLog(app.db, app.roomEvents));
	},
	{ name: 'moderation-log', dependencies: ['db', 'room-events'] }
);
