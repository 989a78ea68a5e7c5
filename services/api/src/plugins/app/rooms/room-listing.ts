import type { Room, RoomState } from '@majlis/protocol';
import type { Bus } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ValidationError } from '../../../errors.js';
import { type CursorKey, compareLive, decodeCursor, encodeCursor, type LiveKey } from './cursor.js';
import { listenerCount, type RoomViews } from './room-views.js';
import type { RoomFilter, RoomsRepository } from './rooms-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Lists rooms for `GET /api/rooms`. */
		roomListing: RoomListing;
	}
}

/** Listener counts read from the bus at once (each is one GET; Redis pipelines them). */
const COUNT_BATCH = 500;

/** What `GET /api/rooms` asks for. */
export interface ListQuery extends Omit<RoomFilter, 'userId'> {
	state?: RoomState | undefined;
	cursor?: string | undefined;
	limit: number;
}

/**
 * Listing: live rooms by listener count, then scheduled rooms by planned start (ended rooms only when
 * asked for), with keyset cursors. Without a state filter the live phase runs first and the scheduled
 * phase continues where it ends, so one cursor walks both.
 */
export function createRoomListing(repo: RoomsRepository, views: RoomViews, bus: Bus) {
	async function livePhase(filter: RoomFilter, after: LiveKey | null, limit: number): Promise<CursorKey[]> {
		// Every live room is ranked, none left out: listener counts live in the bus, so the order cannot be
		// a database keyset. The quotas bound how many there are (live rooms per host), and the listing
		// route is rate-limited.
		const candidates = await repo.listLive(filter);
		const keys: LiveKey[] = [];
		for (let i = 0; i < candidates.length; i += COUNT_BATCH) {
			keys.push(
				...(await Promise.all(
					candidates.slice(i, i + COUNT_BATCH).map(async (c) => ({
						p: 'live' as const,
						n: await listenerCount(bus, c.id),
						t: c.started_at?.getTime() ?? null,
						id: c.id,
					}))
				))
			);
		}
		keys.sort(compareLive);

		return (after ? keys.filter((k) => compareLive(k, after) > 0) : keys).slice(0, limit);
	}

	async function phase(state: RoomState, filter: RoomFilter, after: CursorKey | null, limit: number) {
		switch (state) {
			case 'live': {
				return livePhase(filter, after?.p === 'live' ? after : null, limit);
			}
			case 'scheduled': {
				const rows = await repo.listScheduled(
					filter,
					after?.p === 'scheduled'
						? { scheduledFor: after.t === null ? null : new Date(after.t), id: after.id }
						: null,
					limit
				);

				return rows.map(
					(r): CursorKey => ({ p: 'scheduled', t: r.scheduled_for?.getTime() ?? null, id: r.id })
				);
			}
			case 'ended': {
				const rows = await repo.listEnded(
					filter,
					after?.p === 'ended' ? { endedAt: new Date(after.t), id: after.id } : null,
					limit
				);

				return rows.map((r): CursorKey => ({ p: 'ended', t: r.ended_at?.getTime() ?? 0, id: r.id }));
			}
		}
	}

	return {
		/** One page of rooms visible to `userId` (null: anonymous). */
		async list(
			query: ListQuery,
			userId: string | null
		): Promise<{ items: Room[]; nextCursor: string | null }> {
			const phases: RoomState[] = query.state ? [query.state] : ['live', 'scheduled'];
			let cursor: CursorKey | null = null;
			if (query.cursor !== undefined) {
				const decoded = decodeCursor(query.cursor);
				if (!decoded || !phases.includes(decoded.p)) {
					throw new ValidationError({ cursor: 'is not a cursor of this listing' });
				}
				cursor = decoded;
			}
			const filter: RoomFilter = {
				userId,
				topic: query.topic,
				hostHandle: query.hostHandle,
				q: query.q,
				language: query.language,
			};
			// One more than a page tells whether there is a next page.
			const want = query.limit + 1;
			const keys: CursorKey[] = [];
			const start = cursor ? phases.indexOf(cursor.p) : 0;
			for (let i = start; i < phases.length && keys.length < want; i++) {
				keys.push(...(await phase(phases[i]!, filter, i === start ? cursor : null, want - keys.length)));
			}
			const page = keys.slice(0, query.limit);
			const last = page.at(-1);
			const rows = await repo.findManyWithHost(page.map((k) => k.id));

			return {
				items: await views.build(rows, userId),
				nextCursor: keys.length > query.limit && last ? encodeCursor(last) : null,
			};
		},
	};
}

/** What {@link createRoomListing} returns. */
export type RoomListing = ReturnType<typeof createRoomListing>;

/** Decorates the app with `roomListing`. */
export default fp(
	async function roomListing(app: FastifyInstance) {
		app.decorate('roomListing', createRoomListing(app.roomsRepository, app.roomViews, app.bus));
	},
	{ name: 'room-listing', dependencies: ['rooms-repository', 'room-views', 'bus'] }
);
