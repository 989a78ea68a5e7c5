import type { GuestKind, Room } from '@majlis/protocol';
import { type RoomFormOriginal, type RoomFormState, roomBodyFrom } from './roomForm';
import { createRoom, deleteGuest, putGuest, setCohost, updateRoom } from './roomsApi';

/** What to change in a room's co-host and guest lists: the calls to make, by kind. */
export interface RoomListChanges {
	/** Users to appoint co-host. */
	addCohosts: string[];
	/** Co-hosts to remove. */
	removeCohosts: string[];
	/** Guests to add, or whose kind changed. */
	putGuests: { userId: string; kind: GuestKind }[];
	/** Guests to remove. */
	removeGuests: string[];
}

/** The changes that take the lists of `before` (null: a new room, with none) to those of `after`. */
export function diffRoomLists(
	before: RoomFormOriginal | null,
	after: Pick<RoomFormState, 'cohosts' | 'guests'>
): RoomListChanges {
	const beforeCohosts = new Set(before?.room.cohosts.map((c) => c.id) ?? []);
	const afterCohosts = new Set(after.cohosts.map((c) => c.id));
	const beforeGuests = new Map((before?.guests ?? []).map((g) => [g.user.id, g.kind]));
	const afterGuests = new Map(after.guests.map((g) => [g.user.id, g.kind]));

	return {
		addCohosts: [...afterCohosts].filter((id) => !beforeCohosts.has(id)),
		removeCohosts: [...beforeCohosts].filter((id) => !afterCohosts.has(id)),
		putGuests: [...afterGuests]
			.filter(([userId, kind]) => beforeGuests.get(userId) !== kind)
			.map(([userId, kind]) => ({ userId, kind })),
		removeGuests: [...beforeGuests.keys()].filter((userId) => !afterGuests.has(userId)),
	};
}

/** Makes the calls of `changes` on room `roomId`, all at once; rejects with the first failure. */
export async function saveRoomLists(roomId: string, changes: RoomListChanges): Promise<void> {
	await Promise.all([
		...changes.addCohosts.map((userId) => setCohost(roomId, userId, true)),
		...changes.removeCohosts.map((userId) => setCohost(roomId, userId, false)),
		...changes.putGuests.map(({ userId, kind }) => putGuest(roomId, userId, kind)),
		...changes.removeGuests.map((userId) => deleteGuest(roomId, userId)),
	]);
}

/**
 * Saves the schedule form: creates the room (no `roomId`) or updates it, then brings its co-host and
 * guest lists in line with the form. Resolves with the saved room.
 */
export async function saveRoomForm(
	roomId: string | undefined,
	form: RoomFormState,
	original: RoomFormOriginal | null
): Promise<Room> {
	const body = roomBodyFrom(form, original, Boolean(roomId));
	const room = roomId ? await updateRoom(roomId, body) : await createRoom(body);
	await saveRoomLists(room.id, diffRoomLists(original, form));

	return room;
}
