import type { FastifyInstance } from 'fastify';
import { authorize, RoomAction } from '../authorization.js';
import type { RoomWithHost } from '../rooms/rooms-repository.js';

const ROOM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/**
 * The room with its host when an anonymous visitor may see it (public or unlisted, not deleted), else
 * undefined. Link previews, share pages and oEmbed are fetched without a session, so they judge a room
 * as a stranger would: a private room's title never leaves the server this way.
 */
export async function findPublicRoom(
	app: FastifyInstance,
	roomId: string
): Promise<RoomWithHost | undefined> {
	if (!ROOM_ID.test(roomId)) {
		return undefined;
	}
	const room = await app.roomsRepository.findWithHost(roomId);
	if (!room || room.visibility === 'private') {
		return undefined;
	}
	const context = await app.roomsRepository.context(roomId, null);
	if (!context) {
		return undefined;
	}
	try {
		// Allowed when it does not throw (an anonymous viewer holds no role, hence null).
		authorize(context.room, context.caller, RoomAction.View);

		return room;
	} catch {
		// The rules refuse by throwing (404 for a room this caller may not see).
		return undefined;
	}
}
