import { Role } from '@majlis/protocol';
import { ForbiddenError, NotFoundError } from '../../../errors.js';
import { canSee, roleInRoom } from '../authorization.js';
import type { RoomsRepository } from '../rooms/rooms-repository.js';

/** Who may do what with a room's recordings. */
export interface RecordingRights {
	/** The caller's role in the room (null when anonymous). */
	role: Role | null;
	/** Host and co-hosts: every speaker's own track. */
	tracks: boolean;
	/** The host: delete recordings. */
	delete: boolean;
	/** Host, co-hosts and moderators: the room's analytics. */
	analytics: boolean;
}

/**
 * The caller's rights over `roomId`'s recordings. Listening follows the room's visibility: anyone for
 * public and unlisted rooms, only the host, co-hosts, moderators and guest list for private ones (403
 * to others: the replay link is known, the room is not hidden from them here).
 */
export async function recordingRights(
	rooms: RoomsRepository,
	roomId: string,
	userId: string | null
): Promise<RecordingRights> {
	const context = await rooms.context(roomId, userId);
	if (!context) {
		throw new NotFoundError('room');
	}
	if (!canSee(context.room, context.caller)) {
		throw new ForbiddenError("this replay is for the room's guests");
	}
	const role = roleInRoom(context.room, context.caller);

	return {
		role,
		tracks: role === Role.Host || role === Role.Cohost,
		delete: role === Role.Host,
		analytics: role === Role.Host || role === Role.Cohost || role === Role.Moderator,
	};
}
