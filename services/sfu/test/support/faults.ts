import type { InternalRoom } from '@majlis/protocol';
import type { Harness, TestUser } from './harness.js';
import type { Participant } from './Participant.js';

/** What Postgres holds about a room (through the API's internal route), in a comparable form. */
export async function durableRecord(h: Harness, roomId: string) {
	const record: InternalRoom = await h.record(roomId);

	return {
		id: record.id,
		title: record.title,
		hostId: record.hostId,
		cohosts: record.cohosts.map((u) => u.id).sort(),
		moderators: record.moderators.map((u) => u.id).sort(),
		guests: [...record.guests].sort((a, b) => a.userId.localeCompare(b.userId)),
		banned: [...record.banned].sort(),
	};
}

/** Appoints `user` co-host or moderator of the host's room through the API. */
export async function appoint(
	h: Harness,
	host: TestUser,
	roomId: string,
	role: 'cohosts' | 'moderators',
	user: TestUser
): Promise<void> {
	await h.call('PUT', `/api/rooms/${roomId}/${role}/${user.user.id}`, host.token);
}

/** Puts `user` on the room's guest list through the API. */
export async function addGuest(
	h: Harness,
	host: TestUser,
	roomId: string,
	user: TestUser,
	kind: 'speaker' | 'listener'
): Promise<void> {
	await h.call('PUT', `/api/rooms/${roomId}/guests/${user.user.id}`, host.token, { kind });
}

/** `[userId, role, onStage, muted]` of a participant's latest join, to compare before and after a fault. */
export function selfOf(p: Participant): [string, string, boolean, boolean] {
	const { self } = p.snapshot;

	return [self.userId, self.role, self.onStage, self.muted];
}
