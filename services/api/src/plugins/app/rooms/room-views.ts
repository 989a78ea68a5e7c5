import { type GuestKind, type InternalRoom, type Room, roomPresenceKey } from '@majlis/protocol';
import type { Bus } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { NotFoundError } from '../../../errors.js';
import { roleInRoom } from '../authorization.js';
import type { RoomMembers, RoomsRepository, RoomWithHost } from './rooms-repository.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Builds rooms as the API returns them. */
		roomViews: RoomViews;
	}
}

function iso(date: Date | null): string | null {
	return date === null ? null : date.toISOString();
}

/** The number of people in a live room, as the SFU keeps it in the bus (0 when unknown). */
export async function listenerCount(bus: Bus, roomId: string): Promise<number> {
	const raw = await bus.get(roomPresenceKey(roomId));
	const count = raw === null ? 0 : Number.parseInt(raw, 10);

	return Number.isFinite(count) && count > 0 ? count : 0;
}

/** Builds {@link Room}s from rows: appointments, listener counts (live rooms) and the caller's role. */
export function createRoomViews(repo: RoomsRepository, bus: Bus) {
	function toRoom(
		row: RoomWithHost,
		members: RoomMembers,
		count: number,
		userId: string | null,
		guestKind: GuestKind | null
	): Room {
		const room: Room = {
			id: row.id,
			title: row.title,
			description: row.description,
			topics: row.topics,
			scheduledFor: iso(row.scheduled_for),
			visibility: row.visibility,
			speakRequests: row.speak_requests,
			maxSpeakers: row.max_speakers,
			chat: row.chat,
			language: row.language,
			state: row.state,
			host: { id: row.host_id, handle: row.host_handle, displayName: row.host_display_name },
			cohosts: members.cohosts,
			moderators: members.moderators,
			listenerCount: count,
			startedAt: iso(row.started_at),
			endedAt: iso(row.ended_at),
			createdAt: row.created_at.toISOString(),
			updatedAt: row.updated_at.toISOString(),
		};
		const myRole = roleInRoom(
			{
				state: row.state,
				visibility: row.visibility,
				hostId: row.host_id,
				maxSpeakers: row.max_speakers,
				cohostIds: members.cohosts.map((u) => u.id),
				moderatorIds: members.moderators.map((u) => u.id),
			},
			{ userId, guestKind, banned: false }
		);
		if (myRole !== null) {
			room.myRole = myRole;
		}

		return room;
	}

	return {
		/** Rooms for `rows`, in order, as `userId` (null: anonymous) sees them. */
		async build(rows: readonly RoomWithHost[], userId: string | null): Promise<Room[]> {
			const ids = rows.map((r) => r.id);
			const [members, guestKinds, counts] = await Promise.all([
				repo.members(ids),
				userId === null ? new Map<string, GuestKind>() : repo.guestKinds(ids, userId),
				Promise.all(rows.map((r) => (r.state === 'live' ? listenerCount(bus, r.id) : 0))),
			]);

			return rows.map((row, i) =>
				toRoom(
					row,
					members.get(row.id) ?? { cohosts: [], moderators: [] },
					counts[i] ?? 0,
					userId,
					guestKinds.get(row.id) ?? null
				)
			);
		},

		/** What an SFU node needs about a room (`GET /api/internal/rooms/:id`); undefined when unknown. */
		async internal(id: string): Promise<InternalRoom | undefined> {
			const row = await repo.findWithHost(id);
			if (!row) {
				return undefined;
			}
			const [members, guests, banned] = await Promise.all([
				repo.members([id]),
				repo.guests(id),
				repo.bannedIds(id),
			]);
			const appointed = members.get(id) ?? { cohosts: [], moderators: [] };

			return {
				id: row.id,
				title: row.title,
				speakRequests: row.speak_requests,
				maxSpeakers: row.max_speakers,
				state: row.state,
				hostId: row.host_id,
				cohosts: appointed.cohosts,
				moderators: appointed.moderators,
				guests: guests.map((g) => ({ userId: g.user.id, kind: g.kind })),
				banned,
			};
		},

		/** One room as `userId` sees it (visibility must have been checked by the caller). */
		async one(id: string, userId: string | null): Promise<Room> {
			const row = await repo.findWithHost(id);
			if (!row) {
				// Deleted between the caller's check and now.
				throw new NotFoundError('room');
			}
			const [room] = await this.build([row], userId);

			return room!;
		},
	};
}

/** What {@link createRoomViews} returns. */
export type RoomViews = ReturnType<typeof createRoomViews>;

/** Decorates the app with `roomViews`. */
export default fp(
	async function roomViews(app: FastifyInstance) {
		app.decorate('roomViews', createRoomViews(app.roomsRepository, app.bus));
	},
	{ name: 'room-views', dependencies: ['rooms-repository', 'bus'] }
);
