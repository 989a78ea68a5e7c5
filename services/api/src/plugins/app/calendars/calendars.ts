import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { DB, RoomRow, RoomsTable } from '../../../db/schema.js';
import { canSee } from '../authorization.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** What calendars need: event revisions, cancellations, and personal feeds. */
		calendars: Calendars;
	}
}

type Executor = Kysely<DB> | Transaction<DB>;

/** One event of a calendar. */
export interface CalendarEntry {
	roomId: string;
	title: string;
	description: string;
	hostName: string;
	start: Date;
	end: Date | null;
	sequence: number;
	state: 'scheduled' | 'live' | 'ended' | 'cancelled';
	updatedAt: Date;
}

/** How long a room without an end is shown in calendars. */
export const DEFAULT_DURATION_MS = 60 * 60 * 1000;

/** The changes to a room that calendars must see as a new revision of its event (RFC 5545 SEQUENCE). */
const REVISING: readonly (keyof RoomsTable)[] = ['scheduled_for', 'title', 'description'];

/** Calendars over kysely. */
export function createCalendars(db: Kysely<DB>) {
	return {
		/** Raises the room's SEQUENCE when `patch` changes its time or text. */
		async bumpSequence(roomId: string, patch: Updateable<RoomsTable>, trx: Executor): Promise<void> {
			if (!REVISING.some((k) => patch[k] !== undefined)) {
				return;
			}
			await trx
				.updateTable('rooms')
				.set((eb) => ({ calendar_sequence: eb('calendar_sequence', '+', 1) }))
				.where('id', '=', roomId)
				.execute();
		},

		/** Keeps what feeds need of a scheduled room being cancelled (its row is then deleted). */
		async recordCancellation(row: RoomRow, trx: Executor): Promise<void> {
			const reminded = await trx
				.selectFrom('room_reminders')
				.select('user_id')
				.where('room_id', '=', row.id)
				.execute();
			await trx
				.insertInto('cancelled_rooms')
				.values({
					room_id: row.id,
					host_id: row.host_id,
					title: row.title,
					description: row.description,
					scheduled_for: row.scheduled_for ?? row.created_at,
					calendar_sequence: row.calendar_sequence + 1,
					reminded_ids: reminded.map((r) => r.user_id),
					cancelled_at: new Date(),
				})
				.onConflict((c) => c.column('room_id').doNothing())
				.execute();
		},

		/** The room's own event, as the public `.ics` shows it. */
		async roomEntry(roomId: string): Promise<CalendarEntry | undefined> {
			const row = await db
				.selectFrom('rooms')
				.innerJoin('users', 'users.id', 'rooms.host_id')
				.selectAll('rooms')
				.select('users.display_name as host_name')
				.where('rooms.id', '=', roomId)
				.executeTakeFirst();

			return row ? toEntry(row) : undefined;
		},

		/** The secret of `userId`'s feed, made on first use. */
		async feedSecret(userId: string): Promise<string> {
			await db
				.insertInto('calendar_feeds')
				.values({ user_id: userId, secret: newSecret() })
				.onConflict((c) => c.column('user_id').doNothing())
				.execute();
			const row = await db
				.selectFrom('calendar_feeds')
				.select('secret')
				.where('user_id', '=', userId)
				.executeTakeFirstOrThrow();

			return row.secret;
		},

		/** Replaces `userId`'s secret: the old URL stops working at once. */
		async rotateFeedSecret(userId: string): Promise<string> {
			const secret = newSecret();
			await db
				.insertInto('calendar_feeds')
				.values({ user_id: userId, secret })
				.onConflict((c) => c.column('user_id').doUpdateSet({ secret, created_at: new Date() }))
				.execute();

			return secret;
		},

		/** Revokes `userId`'s feed URL without making a new one. */
		async revokeFeed(userId: string): Promise<void> {
			await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute();
		},

		/** Whose feed `secret` opens, if any. */
		async feedOwner(secret: string): Promise<string | undefined> {
			const row = await db
				.selectFrom('calendar_feeds')
				.select('user_id')
				.where('secret', '=', secret)
				.executeTakeFirst();

			return row?.user_id;
		},

		/**
		 * `userId`'s feed: rooms they host, asked to be reminded of, or scheduled by people they follow,
		 * that they may see (private rooms only with a place in them; unlisted ones only when hosting or
		 * reminded), plus the cancelled ones among those, from the last 30 days on.
		 */
		async feed(userId: string): Promise<CalendarEntry[]> {
			const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
			const rows = await db
				.selectFrom('rooms')
				.innerJoin('users', 'users.id', 'rooms.host_id')
				.selectAll('rooms')
				.select('users.display_name as host_name')
				.select((eb) => [
					eb
						.exists(
							eb
								.selectFrom('room_reminders')
								.select('room_reminders.user_id')
								.whereRef('room_reminders.room_id', '=', 'rooms.id')
								.where('room_reminders.user_id', '=', userId)
						)
						.as('reminded'),
					eb
						.selectFrom('room_guests')
						.select('room_guests.kind')
						.whereRef('room_guests.room_id', '=', 'rooms.id')
						.where('room_guests.user_id', '=', userId)
						.as('guest_kind'),
				])
				.where((eb) =>
					eb.or([
						eb('rooms.host_id', '=', userId),
						eb.exists(
							eb
								.selectFrom('room_reminders')
								.select('room_reminders.user_id')
								.whereRef('room_reminders.room_id', '=', 'rooms.id')
								.where('room_reminders.user_id', '=', userId)
						),
						eb.exists(
							eb
								.selectFrom('follows')
								.select('follows.follower_id')
								.whereRef('follows.followee_id', '=', 'rooms.host_id')
								.where('follows.follower_id', '=', userId)
						),
					])
				)
				.where(sql<boolean>`coalesce(rooms.scheduled_for, rooms.started_at, rooms.created_at) >= ${since}`)
				.execute();
			const roles = await db
				.selectFrom('room_roles')
				.select(['room_id', 'role'])
				.where('user_id', '=', userId)
				.where(
					'room_id',
					'in',
					rows.length > 0 ? rows.map((r) => r.id) : ['00000000-0000-0000-0000-000000000000']
				)
				.execute();
			const roleOf = new Map(roles.map((r) => [r.room_id, r.role]));
			const blockedBy = new Set(
				(
					await db.selectFrom('user_blocks').select('blocker_id').where('blocked_id', '=', userId).execute()
				).map((r) => r.blocker_id)
			);
			const visible = rows.filter((row) => {
				if (blockedBy.has(row.host_id)) {
					return false;
				}
				if (row.visibility === 'unlisted') {
					return row.host_id === userId || row.reminded;
				}
				const role = roleOf.get(row.id);

				return canSee(
					{
						state: row.state,
						visibility: row.visibility,
						hostId: row.host_id,
						maxSpeakers: row.max_speakers,
						cohostIds: role === 'cohost' ? [userId] : [],
						moderatorIds: role === 'moderator' ? [userId] : [],
					},
					{ userId, guestKind: row.guest_kind ?? null, banned: false }
				);
			});
			const cancelled = await db
				.selectFrom('cancelled_rooms')
				.innerJoin('users', 'users.id', 'cancelled_rooms.host_id')
				.selectAll('cancelled_rooms')
				.select('users.display_name as host_name')
				.where('cancelled_rooms.cancelled_at', '>=', since)
				.where((eb) =>
					eb.or([
						eb('cancelled_rooms.host_id', '=', userId),
						eb(eb.val(userId), '=', eb.fn.any('cancelled_rooms.reminded_ids')),
						eb.exists(
							eb
								.selectFrom('follows')
								.select('follows.follower_id')
								.whereRef('follows.followee_id', '=', 'cancelled_rooms.host_id')
								.where('follows.follower_id', '=', userId)
						),
					])
				)
				.execute();

			return [
				...visible.map(toEntry),
				...cancelled.map(
					(c): CalendarEntry => ({
						roomId: c.room_id,
						title: c.title,
						description: c.description,
						hostName: c.host_name,
						start: c.scheduled_for ?? c.cancelled_at,
						end: null,
						sequence: c.calendar_sequence,
						state: 'cancelled',
						updatedAt: c.cancelled_at,
					})
				),
			];
		},
	};
}

function newSecret(): string {
	return randomBytes(24).toString('base64url');
}

function toEntry(row: RoomRow & { host_name: string }): CalendarEntry {
	return {
		roomId: row.id,
		title: row.title,
		description: row.description,
		hostName: row.host_name,
		start: row.started_at ?? row.scheduled_for ?? row.created_at,
		end: row.ended_at,
		sequence: row.calendar_sequence,
		state: row.state,
		updatedAt: row.updated_at,
	};
}

/** What {@link createCalendars} returns. */
export type Calendars = ReturnType<typeof createCalendars>;

/** Decorates the app with `calendars`. */
export default fp(
	async function calendars(app: FastifyInstance) {
		app.decorate('calendars', createCalendars(app.db));
	},
	{ name: 'calendars', dependencies: ['db'] }
);
