import { randomUUID } from 'node:crypto';
import type { InternalRoom, UserSummary } from '@majlis/protocol';

/** A user with a fresh id: `name` as the handle, in capitals as the display name. */
export function testUser(name: string): UserSummary {
	return { id: randomUUID(), handle: name, displayName: name.toUpperCase() };
}

/**
 * The API's record of a live room hosted by `hostId` that takes requests to speak from everyone, with
 * no appointed roles, guests or bans unless `overrides` sets them.
 */
export function liveRecord(hostId: string, overrides: Partial<InternalRoom> = {}): InternalRoom {
	return {
		id: randomUUID(),
		title: 'Room',
		speakRequests: 'everyone',
		maxSpeakers: 13,
		state: 'live',
		hostId,
		cohosts: [],
		moderators: [],
		guests: [],
		banned: [],
		...overrides,
	};
}
