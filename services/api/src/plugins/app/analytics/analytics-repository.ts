import type { InternalRoomTally, RoomAnalytics } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ColumnType, Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** An ended room's figures: the SFU's tally plus replay plays. */
		analyticsRepository: AnalyticsRepository;
	}
}

/** `room_tallies` (migration 0006) and the plays it is read with (migration 0004). */
interface AnalyticsTables {
	room_tallies: {
		room_id: string;
		peak_listeners: number;
		unique_listeners: number;
		hand_raises: number;
		speakers: ColumnType<InternalRoomTally['speakers'], string, string>;
	};
	recordings: { id: string; room_id: string };
	recording_plays: { recording_id: string };
}

/** Stores what the SFU counted when a room ended and reads it back as {@link RoomAnalytics}. */
export function createAnalyticsRepository(kysely: Kysely<DB>) {
	const db = kysely as unknown as Kysely<DB & AnalyticsTables>;

	return {
		/** Saves the tally; a second report for the room (another node, a retry) keeps the larger figures. */
		async saveTally(roomId: string, tally: InternalRoomTally): Promise<void> {
			const speakers = JSON.stringify(tally.speakers);
			await db
				.insertInto('room_tallies')
				.values({
					room_id: roomId,
					peak_listeners: tally.peakListeners,
					unique_listeners: tally.uniqueListeners,
					hand_raises: tally.handRaises,
					speakers,
				})
				.onConflict((oc) =>
					oc.column('room_id').doUpdateSet((eb) => ({
						peak_listeners: eb.fn('greatest', ['room_tallies.peak_listeners', 'excluded.peak_listeners']),
						unique_listeners: eb.fn('greatest', [
							'room_tallies.unique_listeners',
							'excluded.unique_listeners',
						]),
						hand_raises: eb.fn('greatest', ['room_tallies.hand_raises', 'excluded.hand_raises']),
						speakers,
					}))
				)
				.execute();
		},

		/** The figures of a room that ran from `startedAt` to `endedAt`; zeros where nothing was counted. */
		async read(roomId: string, startedAt: Date | null, endedAt: Date | null): Promise<RoomAnalytics> {
			const tally = await db
				.selectFrom('room_tallies')
				.selectAll()
				.where('room_id', '=', roomId)
				.executeTakeFirst();
			const plays = await db
				.selectFrom('recording_plays')
				.innerJoin('recordings', 'recordings.id', 'recording_plays.recording_id')
				.select((eb) => eb.fn.countAll<string>().as('n'))
				.where('recordings.room_id', '=', roomId)
				.executeTakeFirstOrThrow();
			const ids = (tally?.speakers ?? []).map((sp) => sp.userId);
			const users =
				ids.length > 0
					? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()
					: [];
			const names = new Map(users.map((u) => [u.id, u.display_name]));
			const durationMs = startedAt && endedAt ? Math.max(0, endedAt.getTime() - startedAt.getTime()) : 0;

			return {
				durationMs,
				peakListeners: tally?.peak_listeners ?? 0,
				uniqueListeners: tally?.unique_listeners ?? 0,
				speakers: (tally?.speakers ?? [])
					.map((sp) => {
						const displayName = names.get(sp.userId);

						return displayName === undefined ? sp : { ...sp, displayName };
					})
					.sort((a, b) => b.speakingMs - a.speakingMs),
				handRaises: tally?.hand_raises ?? 0,
				replayPlays: Number(plays.n),
			};
		},
	};
}

/** What {@link createAnalyticsRepository} returns. */
export type AnalyticsRepository = ReturnType<typeof createAnalyticsRepository>;

/** Decorates the app with `analyticsRepository`. */
export default fp(
	async function analyticsRepository(app: FastifyInstance) {
		app.decorate('analyticsRepository', createAnalyticsRepository(app.db));
	},
	{ name: 'analytics-repository', dependencies: ['db'] }
);
