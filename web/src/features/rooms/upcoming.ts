import type { Room } from '@majlis/protocol';

/** How long after its start time a room that never started still shows under Upcoming. */
export const STALE_AFTER_MS = 2 * 3_600_000;

/**
 * Whether a scheduled room still belongs under Upcoming at `now`: rooms without a time, or whose time
 * is ahead or only just past (its page says "waiting for the host"); a start time long gone is a room
 * nobody is coming to.
 */
export function isUpcoming(room: Pick<Room, 'state' | 'scheduledFor'>, now: number): boolean {
	if (room.state !== 'scheduled') {
		return false;
	}
	if (room.scheduledFor === null) {
		return true;
	}

	return Date.parse(room.scheduledFor) + STALE_AFTER_MS > now;
}
