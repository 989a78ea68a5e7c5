import { type Guest, type GuestKind, searchDocument, type UserSummary } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
	type Kysely,
	sql,
	type Transaction,
	type Updateable,
} from 'kysely';
import type { DB, NewRoom, RoomRow, RoomsTable } from '../../../db/schema.js';
import type { CallerFacts, RoomFacts } from '../authorization.js';
import { matches, type RoomFilter } from './room-filters.js';

export { type RoomFilter, searchMatches } from './room-filters.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Rooms, appointments, guest lists and bans. */
		roomsRepository: RoomsRepository;
	}
}

/** A room row with its host's handle and display name. */
export type RoomWithHost = RoomRow & { host_handle: string; host_display_name: string };

/** Appointments of one room, oldest first. */
export interface RoomMembers {
	cohosts: UserSummary[];
	moderators: UserSummary[];
}

/** A room row with the facts the authorization rules need, for one caller. */
export interface RoomContext {
	row: RoomRow;
	room: RoomFacts;
	caller: CallerFacts;
}

type Executor = Kysely<DB> | Transaction<DB>;

/** The fields of a room that search reads. */
const SEARCHED = ['title', 'description', 'topics', 'host_id'] as const;

/** Rooms and what hangs off them, over kysely; every method takes an optional transaction. */
export function createRoomsRepository(db: Kysely<DB>) {
	function withHost(executor: Executor) {
		return executor
			.selectFrom('rooms')
			.innerJoin('users as host', 'host.id', 'rooms.host_id')
			.selectAll('rooms')
			.select(['host.handle as host_handle', 'host.display_name as host_display_name']);
	}

	async function members(ids: readonly string[], trx?: Executor): Promise<Map<string, RoomMembers>> {
		const out = new Map<string, RoomMembers>(ids.map((id) => [id, { cohosts: [], moderators: [] }]));
		if (ids.length === 0) {
			return out;
		}
		const rows = await (trx ?? db)
			.selectFrom('room_roles')
			.innerJoin('users', 'users.id', 'room_roles.user_id')
			.select(['room_roles.room_id', 'room_roles.role', 'users.id', 'users.handle', 'users.display_name'])
			.where('room_roles.room_id', 'in', ids)
			.orderBy('room_roles.appointed_at')
			.orderBy('users.id')
			.execute();
		for (const r of rows) {
			const entry = out.get(r.room_id);
			const user = { id: r.id, handle: r.handle, displayName: r.display_name };
			if (entry) {
				(r.role === 'cohost' ? entry.cohosts : entry.moderators).push(user);
			}
		}

		return out;
	}

	/** Rewrites the search text of the rooms `where` picks, from their fields and their host's names. */
	async function refreshSearchText(executor: Executor, where: { roomId?: string; hostId?: string }) {
		let query = withHost(executor);
		if (where.roomId !== undefined) {
			query = query.where('rooms.id', '=', where.roomId);
		}
		if (where.hostId !== undefined) {
			query = query.where('rooms.host_id', '=', where.hostId);
		}
		for (const row of await query.execute()) {
			const text = searchDocument([
				row.title,
				row.description,
				...row.topics,
				row.host_display_name,
				row.host_handle,
			]);
			await executor.updateTable('rooms').set({ search_text: text }).where('id', '=', row.id).execute();
		}
	}

	return {
		/** Inserts a room (and its search text). */
		async insert(values: NewRoom, trx?: Executor): Promise<RoomRow> {
			const row = await (trx ?? db)
				.insertInto('rooms')
				.values(values)
				.returningAll()
				.executeTakeFirstOrThrow();
			await refreshSearchText(trx ?? db, { roomId: row.id });

			return row;
		},

		/** Rewrites the search text of every room `hostId` hosts (after they changed their name). */
		async refreshHostSearchText(hostId: string, trx?: Executor): Promise<void> {
			await refreshSearchText(trx ?? db, { hostId });
		},

		/** Writes the search text of rooms that have none (rooms from before search existed). */
		async backfillSearchText(): Promise<number> {
			const rows = await db.selectFrom('rooms').select('id').where('search_text', '=', '').execute();
			for (const { id } of rows) {
				await refreshSearchText(db, { roomId: id });
			}

			return rows.length;
		},

		/** A room with its host, or undefined. */
		async findWithHost(id: string, trx?: Executor): Promise<RoomWithHost | undefined> {
			return withHost(trx ?? db)
				.where('rooms.id', '=', id)
				.executeTakeFirst();
		},

		/** Rooms with their hosts, in the order of `ids` (missing ones skipped). */
		async findManyWithHost(ids: readonly string[], trx?: Executor): Promise<RoomWithHost[]> {
			if (ids.length === 0) {
				return [];
			}
			const rows = await withHost(trx ?? db)
				.where('rooms.id', 'in', ids)
				.execute();
			const byId = new Map(rows.map((r) => [r.id, r]));

			return ids.flatMap((id) => byId.get(id) ?? []);
		},

		/**
		 * The room and the facts the authorization rules need about it and the caller. With `lock`, the room
		 * row is locked until the transaction ends, so concurrent changes (a third co-host) serialize.
		 */
		async context(
			id: string,
			userId: string | null,
			options: { trx?: Transaction<DB>; lock?: boolean } = {}
		): Promise<RoomContext | undefined> {
			const executor = options.trx ?? db;
			let query = executor.selectFrom('rooms').selectAll().where('id', '=', id);
			if (options.lock) {
				query = query.forUpdate();
			}
			const row = await query.executeTakeFirst();
			if (!row) {
				return undefined;
			}
			const roles = await executor
				.selectFrom('room_roles')
				.select(['user_id', 'role'])
				.where('room_id', '=', id)
				.orderBy('appointed_at')
				.execute();
			let guestKind: GuestKind | null = null;
			let banned = false;
			if (userId !== null) {
				const guest = await executor
					.selectFrom('room_guests')
					.select('kind')
					.where('room_id', '=', id)
					.where('user_id', '=', userId)
					.executeTakeFirst();
				guestKind = guest?.kind ?? null;
				const ban = await executor
					.selectFrom('room_bans')
					.select('user_id')
					.where('room_id', '=', id)
					.where('user_id', '=', userId)
					.executeTakeFirst();
				banned = ban !== undefined;
				// Someone the host blocked cannot join the host's rooms, as if removed (moderation/blocks).
				const blocked = await executor
					.selectFrom('user_blocks')
					.select('blocked_id')
					.where('blocker_id', '=', row.host_id)
					.where('blocked_id', '=', userId)
					.executeTakeFirst();
				banned ||= blocked !== undefined;
			}

			return {
				row,
				room: {
					state: row.state,
					visibility: row.visibility,
					hostId: row.host_id,
					maxSpeakers: row.max_speakers,
					cohostIds: roles.filter((r) => r.role === 'cohost').map((r) => r.user_id),
					moderatorIds: roles.filter((r) => r.role === 'moderator').map((r) => r.user_id),
				},
				caller: { userId, guestKind, banned },
			};
		},

		/** Updates a room (bumping updated_at) and returns the row. */
		async update(id: string, patch: Updateable<RoomsTable>, trx?: Executor): Promise<RoomRow> {
			const row = await (trx ?? db)
				.updateTable('rooms')
				.set({ ...patch, updated_at: new Date() })
				.where('id', '=', id)
				.returningAll()
				.executeTakeFirstOrThrow();
			if (SEARCHED.some((key) => key in patch)) {
				await refreshSearchText(trx ?? db, { roomId: id });
			}

			return row;
		},

		/** Deletes a room; roles, guests and bans go with it (ON DELETE CASCADE). */
		async remove(id: string, trx?: Executor): Promise<void> {
			await (trx ?? db).deleteFrom('rooms').where('id', '=', id).execute();
		},

		/** Co-hosts and moderators of each room. */
		members,

		/** The guest-list kind of `userId` in each room where they are a guest. */
		async guestKinds(
			ids: readonly string[],
			userId: string,
			trx?: Executor
		): Promise<Map<string, GuestKind>> {
			if (ids.length === 0) {
				return new Map();
			}
			const rows = await (trx ?? db)
				.selectFrom('room_guests')
				.select(['room_id', 'kind'])
				.where('room_id', 'in', ids)
				.where('user_id', '=', userId)
				.execute();

			return new Map(rows.map((r) => [r.room_id, r.kind]));
		},

		/** Appoints `userId` (replacing another appointment); returns the previous role, if any. */
		async setRole(
			roomId: string,
			userId: string,
			role: 'cohost' | 'moderator',
			by: string | null,
			trx: Transaction<DB>
		): Promise<'cohost' | 'moderator' | null> {
			const previous = await trx
				.selectFrom('room_roles')
				.select('role')
				.where('room_id', '=', roomId)
				.where('user_id', '=', userId)
				.executeTakeFirst();
			if (previous?.role === role) {
				return role;
			}
			await trx
				.insertInto('room_roles')
				.values({ room_id: roomId, user_id: userId, role, appointed_by: by, appointed_at: new Date() })
				.onConflict((oc) =>
					oc.columns(['room_id', 'user_id']).doUpdateSet({ role, appointed_by: by, appointed_at: new Date() })
				)
				.execute();

			return previous?.role ?? null;
		},

		/** Removes `userId`'s appointment if it is `role`; returns whether one was removed. */
		async removeRole(
			roomId: string,
			userId: string,
			role: 'cohost' | 'moderator',
			trx?: Executor
		): Promise<boolean> {
			const result = await (trx ?? db)
				.deleteFrom('room_roles')
				.where('room_id', '=', roomId)
				.where('user_id', '=', userId)
				.where('role', '=', role)
				.executeTakeFirst();

			return result.numDeletedRows > 0n;
		},

		/** The guest list, oldest entry first. */
		async guests(roomId: string, trx?: Executor): Promise<Guest[]> {
			const rows = await (trx ?? db)
				.selectFrom('room_guests')
				.innerJoin('users', 'users.id', 'room_guests.user_id')
				.select(['users.id', 'users.handle', 'users.display_name', 'room_guests.kind'])
				.where('room_guests.room_id', '=', roomId)
				.orderBy('room_guests.added_at')
				.orderBy('users.id')
				.execute();

			return rows.map((r) => ({
				user: { id: r.id, handle: r.handle, displayName: r.display_name },
				kind: r.kind,
			}));
		},

		/** Adds or changes a guest-list entry; returns the previous kind (null when new). */
		async setGuest(
			roomId: string,
			userId: string,
			kind: GuestKind,
			by: string | null,
			trx: Transaction<DB>
		): Promise<GuestKind | null> {
			const previous = await trx
				.selectFrom('room_guests')
				.select('kind')
				.where('room_id', '=', roomId)
				.where('user_id', '=', userId)
				.executeTakeFirst();
			if (previous?.kind !== kind) {
				await trx
					.insertInto('room_guests')
					.values({ room_id: roomId, user_id: userId, kind, added_by: by, added_at: new Date() })
					.onConflict((oc) => oc.columns(['room_id', 'user_id']).doUpdateSet({ kind }))
					.execute();
			}

			return previous?.kind ?? null;
		},

		/** Removes a guest-list entry; returns the removed kind (null when there was none). */
		async removeGuest(roomId: string, userId: string, trx?: Executor): Promise<GuestKind | null> {
			const removed = await (trx ?? db)
				.deleteFrom('room_guests')
				.where('room_id', '=', roomId)
				.where('user_id', '=', userId)
				.returning('kind')
				.executeTakeFirst();

			return removed?.kind ?? null;
		},

		/** Records a removal (ban); idempotent. */
		async ban(roomId: string, userId: string, by: string | null, trx?: Executor): Promise<void> {
			await (trx ?? db)
				.insertInto('room_bans')
				.values({ room_id: roomId, user_id: userId, banned_by: by, banned_at: new Date() })
				.onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
				.execute();
		},

		/** Ids of users removed from the room. */
		async bannedIds(roomId: string, trx?: Executor): Promise<string[]> {
			const rows = await (trx ?? db)
				.selectFrom('room_bans')
				.select('user_id')
				.where('room_id', '=', roomId)
				.orderBy('banned_at')
				.execute();

			return rows.map((r) => r.user_id);
		},

		/** Every live room matching `filter` (id and start); ordering happens on listener counts. */
		async listLive(filter: RoomFilter): Promise<{ id: string; started_at: Date | null }[]> {
			return db
				.selectFrom('rooms')
				.select(['rooms.id', 'rooms.started_at'])
				.where('rooms.state', '=', 'live')
				.where((eb) => matches(eb, filter))
				.orderBy('rooms.started_at')
				.orderBy('rooms.id')
				.execute();
		},

		/** Scheduled rooms by planned start (nulls last), then id; after the keyset `after`. */
		async listScheduled(
			filter: RoomFilter,
			after: { scheduledFor: Date | null; id: string } | null,
			limit: number
		): Promise<{ id: string; scheduled_for: Date | null }[]> {
			return db
				.selectFrom('rooms')
				.select(['rooms.id', 'rooms.scheduled_for'])
				.where('rooms.state', '=', 'scheduled')
				.where((eb) => matches(eb, filter))
				.where((eb) => {
					if (after === null) {
						return eb.lit(true);
					}
					if (after.scheduledFor === null) {
						return eb.and([eb('rooms.scheduled_for', 'is', null), eb('rooms.id', '>', after.id)]);
					}

					return eb.or([
						eb('rooms.scheduled_for', '>', after.scheduledFor),
						eb.and([eb('rooms.scheduled_for', '=', after.scheduledFor), eb('rooms.id', '>', after.id)]),
						eb('rooms.scheduled_for', 'is', null),
					]);
				})
				.orderBy(sql`rooms.scheduled_for asc nulls last`)
				.orderBy('rooms.id')
				.limit(limit)
				.execute();
		},

		/** Ended rooms, most recently ended first, then id descending; after the keyset `after`. */
		async listEnded(
			filter: RoomFilter,
			after: { endedAt: Date; id: string } | null,
			limit: number
		): Promise<{ id: string; ended_at: Date | null }[]> {
			return db
				.selectFrom('rooms')
				.select(['rooms.id', 'rooms.ended_at'])
				.where('rooms.state', '=', 'ended')
				.where((eb) => matches(eb, filter))
				.where((eb) =>
					after === null
						? eb.lit(true)
						: eb.or([
								eb('rooms.ended_at', '<', after.endedAt),
								eb.and([eb('rooms.ended_at', '=', after.endedAt), eb('rooms.id', '<', after.id)]),
							])
				)
				.orderBy('rooms.ended_at', 'desc')
				.orderBy('rooms.id', 'desc')
				.limit(limit)
				.execute();
		},
	};
}

/** What {@link createRoomsRepository} returns. */
export type RoomsRepository = ReturnType<typeof createRoomsRepository>;

/** Decorates the app with `roomsRepository`. */
export default fp(
	async function roomsRepository(app: FastifyInstance) {
		const repository = createRoomsRepository(app.db);
		app.decorate('roomsRepository', repository);
		// Rooms created before search existed get their search text once, at the first start after the upgrade.
		await repository.backfillSearchText();
	},
	{ name: 'rooms-repository', dependencies: ['db'] }
);
