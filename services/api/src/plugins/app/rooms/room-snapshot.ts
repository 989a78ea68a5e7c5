import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.js';

/** What integrations tell the outside about a room: its fields and its host's name. */
export interface RoomSnapshot {
	id: string;
	title: string;
	description: string;
	visibility: 'public' | 'unlisted' | 'private';
	state: 'scheduled' | 'live' | 'ended';
	scheduled_for: Date | null;
	started_at: Date | null;
	ended_at: Date | null;
	host_id: string;
	handle: string;
	display_name: string;
}

/** Room `roomId` with its host's handle and name, or undefined when there is none. */
export function loadRoomSnapshot(db: Kysely<DB>, roomId: string): Promise<RoomSnapshot | undefined> {
	return db
		.selectFrom('rooms')
		.innerJoin('users', 'users.id', 'rooms.host_id')
		.select([
			'rooms.id',
			'rooms.title',
			'rooms.description',
			'rooms.visibility',
			'rooms.state',
			'rooms.scheduled_for',
			'rooms.started_at',
			'rooms.ended_at',
			'rooms.host_id',
			'users.handle',
			'users.display_name',
		])
		.where('rooms.id', '=', roomId)
		.executeTakeFirst();
}
