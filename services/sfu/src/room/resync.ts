import type { InternalRoom, LiveRoomInfo, Role } from '@majlis/protocol';
import type { LiveStateData } from './LiveState.js';

/** What {@link resyncRoom} changes: the handlers the API's room events go through. */
export interface ResyncTarget {
	/** Settings, appointments, guests and unbans, as the events apply them. */
	readonly stage: {
		applyInfo(info: LiveRoomInfo): void;
		applyRole(userId: string, role: Role): void;
		applyGuest(userId: string, kind: 'speaker' | 'listener' | null): void;
		applyUnban(userId: string): void;
	};
	/** A ban made through the API. */
	applyBan(userId: string): void;
	/** The end made through the API. */
	applyEnded(): void;
}

/**
 * Brings a live room in line with the API's record (finding 5 of the security review): after the bus
 * lost messages, each difference between what the room holds and the record is applied through the
 * same handler its event would have used, so a lost demotion, ban or end still takes effect. What
 * already matches is left alone (no notification goes out for it).
 */
export function resyncRoom(room: ResyncTarget, live: LiveStateData, record: InternalRoom): void {
	if (record.state === 'ended') {
		room.applyEnded();

		return;
	}
	const { state: _state, hostId, cohosts, moderators, guests, banned, ...info } = record;
	if (JSON.stringify(sorted(info)) !== JSON.stringify(sorted(live.info))) {
		room.stage.applyInfo(info);
	}
	if (hostId !== live.hostId) {
		room.stage.applyRole(hostId, 'host');
	}
	const roles = new Map<string, Role>([
		...cohosts.map((u) => [u.id, 'cohost'] as const),
		...moderators.map((u) => [u.id, 'moderator'] as const),
	]);
	const held = new Map(live.appointments.map((a) => [a.userId, a.role]));
	for (const [userId, role] of roles) {
		if (held.get(userId) !== role) {
			room.stage.applyRole(userId, role);
		}
	}
	for (const userId of held.keys()) {
		if (!roles.has(userId) && userId !== hostId) {
			room.stage.applyRole(userId, 'listener');
		}
	}
	const kinds = new Map(guests.map((g) => [g.userId, g.kind]));
	const listed = new Map(live.guests.map((g) => [g.userId, g.kind]));
	for (const [userId, kind] of kinds) {
		if (listed.get(userId) !== kind) {
			room.stage.applyGuest(userId, kind);
		}
	}
	for (const userId of listed.keys()) {
		if (!kinds.has(userId)) {
			room.stage.applyGuest(userId, null);
		}
	}
	const bans = new Set(banned);
	const liveBans = new Set(live.banned);
	for (const userId of bans) {
		if (!liveBans.has(userId)) {
			room.applyBan(userId);
		}
	}
	for (const userId of liveBans) {
		if (!bans.has(userId)) {
			room.stage.applyUnban(userId);
		}
	}
}

// Key order must not make equal settings look different.
function sorted(value: object): [string, unknown][] {
	return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}
