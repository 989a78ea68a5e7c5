import type { Series, SeriesBody } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, RoomRow } from '../../../db/schema.js';
import type { RoomsRepository } from '../rooms/rooms-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Rooms that repeat. */
		series: SeriesService;
	}
}

type Executor = Kysely<DB> | Transaction<DB>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Series over kysely. Each occurrence is a room of its own; the next one always exists as a scheduled
 * room with the same settings, co-hosts, moderators and guest list, made when the series starts and
 * again each time an occurrence goes live, until the series' end date or count.
 */
export function createSeries(db: Kysely<DB>, rooms: RoomsRepository) {
	/** Makes the occurrence after `row` unless the series is over or it exists; returns it. */
	async function ensureNext(row: RoomRow, trx: Executor): Promise<RoomRow | null> {
		if (!row.series_id || row.series_index === null) {
			return null;
		}
		const series = await trx
			.selectFrom('room_series')
			.selectAll()
			.where('id', '=', row.series_id)
			.executeTakeFirst();
		const base = row.scheduled_for ?? row.started_at;
		if (!series || !base) {
			return null;
		}
		const index = row.series_index + 1;
		const start = new Date(base.getTime() + series.every_days * DAY_MS);
		if ((series.max_count !== null && index > series.max_count) || (series.until && start > series.until)) {
			return null;
		}
		const existing = await trx
			.selectFrom('rooms')
			.select('id')
			.where('series_id', '=', series.id)
			.where('series_index', '=', index)
			.executeTakeFirst();
		if (existing) {
			return null;
		}
		const now = new Date();
		const next = await rooms.insert(
			{
				host_id: row.host_id,
				title: row.title,
				description: row.description,
				topics: row.topics,
				scheduled_for: start,
				visibility: row.visibility,
				speak_requests: row.speak_requests,
				max_speakers: row.max_speakers,
				chat: row.chat,
				language: row.language,
				state: 'scheduled',
				series_id: series.id,
				series_index: index,
				created_at: now,
				updated_at: now,
			},
			trx
		);
		// The recording choice lives in a column the recordings feature owns (not in the shared row type).
		await sql`update rooms set recording_enabled = (select recording_enabled from rooms where id = ${row.id}) where id = ${next.id}`.execute(
			trx
		);
		const roles = await trx
			.selectFrom('room_roles')
			.select(['user_id', 'role', 'appointed_by'])
			.where('room_id', '=', row.id)
			.execute();
		if (roles.length > 0) {
			await trx
				.insertInto('room_roles')
				.values(roles.map((r) => ({ ...r, room_id: next.id })))
				.execute();
		}
		const guests = await trx
			.selectFrom('room_guests')
			.select(['user_id', 'kind', 'added_by'])
			.where('room_id', '=', row.id)
			.execute();
		if (guests.length > 0) {
			await trx
				.insertInto('room_guests')
				.values(guests.map((g) => ({ ...g, room_id: next.id })))
				.execute();
		}

		return next;
	}

	return {
		/** Makes `row` (a scheduled room with a time) the first occurrence of a new series, and the second. */
		async create(row: RoomRow, body: SeriesBody, trx: Transaction<DB>): Promise<void> {
			const series = await trx
				.insertInto('room_series')
				.values({
					host_id: row.host_id,
					every_days: body.everyDays,
					until: body.until ? new Date(body.until) : null,
					max_count: body.count ?? null,
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const first = await trx
				.updateTable('rooms')
				.set({ series_id: series.id, series_index: 1 })
				.where('id', '=', row.id)
				.returningAll()
				.executeTakeFirstOrThrow();
			await ensureNext(first, trx);
		},

		/** After an occurrence went live: the one after it (in a transaction of its own). */
		async roomStarted(roomId: string): Promise<void> {
			await db.transaction().execute(async (trx) => {
				const row = await trx.selectFrom('rooms').selectAll().where('id', '=', roomId).executeTakeFirst();
				if (row) {
					await ensureNext(row, trx);
				}
			});
		},

		/**
		 * Before a scheduled occurrence is cancelled: the one after it, which its start would have made, so
		 * cancelling one week does not end the series (in the cancelling transaction).
		 */
		async roomCancelled(row: RoomRow, trx: Transaction<DB>): Promise<void> {
			await ensureNext(row, trx);
		},

		/** The series `roomId` belongs to, with its occurrences in order; undefined when none. */
		async ofRoom(roomId: string): Promise<Series | undefined> {
			const room = await db
				.selectFrom('rooms')
				.select('series_id')
				.where('id', '=', roomId)
				.executeTakeFirst();
			if (!room?.series_id) {
				return undefined;
			}
			const series = await db
				.selectFrom('room_series')
				.selectAll()
				.where('id', '=', room.series_id)
				.executeTakeFirstOrThrow();
			const occurrences = await db
				.selectFrom('rooms')
				.select(['id', 'series_index', 'title', 'state', 'scheduled_for'])
				.where('series_id', '=', series.id)
				.orderBy('series_index')
				.execute();

			return {
				id: series.id,
				everyDays: series.every_days,
				until: series.until?.toISOString() ?? null,
				count: series.max_count,
				occurrences: occurrences.map((o) => ({
					id: o.id,
					index: o.series_index ?? 0,
					title: o.title,
					state: o.state,
					scheduledFor: o.scheduled_for?.toISOString() ?? null,
				})),
			};
		},
	};
}

/** What {@link createSeries} returns. */
export type SeriesService = ReturnType<typeof createSeries>;

/** Decorates the app with `series`. */
export default fp(
	async function series(app: FastifyInstance) {
		app.decorate('series', createSeries(app.db, app.roomsRepository));
	},
	{ name: 'series', dependencies: ['db', 'rooms-repository'] }
);
