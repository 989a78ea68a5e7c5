import {
	ErrorCode,
	type GuestKind,
	ROOM_LIMITS,
	Role,
	type RoomState,
	type Visibility,
} from '@majlis/protocol';
import { ApiError } from '../../errors.js';

// Who may do what in a room, as pure functions over facts loaded by the routes. No I/O here, so every
// rule is unit-tested in authorization.test.ts and the routes only load facts and act on decisions.

/** Things a user may try to do with a room. */
export const RoomAction = {
	View: 'view',
	Edit: 'edit',
	Start: 'start',
	End: 'end',
	Cancel: 'cancel',
	ManageCohosts: 'manage-cohosts',
	ManageModerators: 'manage-moderators',
	ViewGuests: 'view-guests',
	ManageGuests: 'manage-guests',
	ViewBans: 'view-bans',
	Unban: 'unban',
	Ban: 'ban',
	ViewModerationLog: 'view-moderation-log',
	HandOver: 'hand-over',
	Join: 'join',
} as const;
/** One of {@link RoomAction}'s values. */
export type RoomAction = (typeof RoomAction)[keyof typeof RoomAction];

/** Most co-hosts a room may have (as on X Spaces). */
export const MAX_COHOSTS = ROOM_LIMITS.cohosts;

/** What the rules need to know about a room. */
export interface RoomFacts {
	state: RoomState;
	visibility: Visibility;
	hostId: string;
	maxSpeakers: number;
	cohostIds: readonly string[];
	moderatorIds: readonly string[];
}

/** What the rules need to know about the caller (`userId: null` when anonymous). */
export interface CallerFacts {
	userId: string | null;
	guestKind: GuestKind | null;
	banned: boolean;
}

/** The outcome of {@link decide}: allowed with the caller's role, or refused with an HTTP status. */
export type Decision =
	| { ok: true; role: Role | null }
	| { ok: false; status: 401 | 403 | 404 | 409; code: ErrorCode; message: string };

const EVERYONE: readonly Role[] = [Role.Host, Role.Cohost, Role.Moderator, Role.Speaker, Role.Listener];
const HOSTS: readonly Role[] = [Role.Host, Role.Cohost];
const STAFF: readonly Role[] = [Role.Host, Role.Cohost, Role.Moderator];

const ALLOWED_ROLES: Record<RoomAction, readonly Role[]> = {
	view: EVERYONE,
	// Co-hosts edit and start; only the host ends, cancels or appoints co-hosts.
	edit: HOSTS,
	start: HOSTS,
	end: [Role.Host],
	cancel: [Role.Host],
	'manage-cohosts': [Role.Host],
	// Moderators manage the stage (and so who is on the guest list) but appoint no one.
	'manage-moderators': HOSTS,
	'view-guests': STAFF,
	'manage-guests': STAFF,
	// Moderators remove people (on the SFU) and see who was removed; undoing a removal is the hosts' call,
	// so one rogue moderator's bans can be lifted.
	'view-bans': STAFF,
	unban: HOSTS,
	// Banning by handle is a removal of someone who is not there (moderators remove people live).
	ban: STAFF,
	'view-moderation-log': STAFF,
	// Handing the room over is the host's alone, like ending it.
	'hand-over': [Role.Host],
	join: EVERYONE,
};

const OPEN: readonly RoomState[] = ['scheduled', 'live'];
const ALLOWED_STATES: Record<RoomAction, readonly RoomState[]> = {
	view: ['scheduled', 'live', 'ended'],
	'view-guests': ['scheduled', 'live', 'ended'],
	edit: OPEN,
	'manage-cohosts': OPEN,
	'manage-moderators': OPEN,
	'manage-guests': OPEN,
	'view-bans': ['scheduled', 'live', 'ended'],
	unban: OPEN,
	ban: OPEN,
	// Kept with the ended room.
	'view-moderation-log': ['scheduled', 'live', 'ended'],
	'hand-over': ['live'],
	start: ['scheduled'],
	cancel: ['scheduled'],
	end: ['live'],
	join: ['live'],
};

/** The caller's role in the room: appointments first, then the guest list; null when anonymous. */
export function roleInRoom(room: RoomFacts, caller: CallerFacts): Role | null {
	const { userId } = caller;
	if (userId === null) {
		return null;
	}
	if (userId === room.hostId) {
		return Role.Host;
	}
	if (room.cohostIds.includes(userId)) {
		return Role.Cohost;
	}
	if (room.moderatorIds.includes(userId)) {
		return Role.Moderator;
	}

	return caller.guestKind === 'speaker' ? Role.Speaker : Role.Listener;
}

/** Whether the caller may know the room exists: private rooms only to host, co-hosts, moderators and guests. */
export function canSee(room: RoomFacts, caller: CallerFacts): boolean {
	if (room.visibility !== 'private') {
		return true;
	}
	const role = roleInRoom(room, caller);

	return role === Role.Host || role === Role.Cohost || role === Role.Moderator || caller.guestKind !== null;
}

/** Whether `role` may perform `action` (ignoring room state). */
export function can(role: Role, action: RoomAction): boolean {
	return ALLOWED_ROLES[action].includes(role);
}

/**
 * Decides a request in the order the API answers: 401 anonymous (except viewing), 404 invisible,
 * 403 banned (joining) or not allowed, 409 wrong state (`room_ended` for ended rooms).
 */
export function decide(room: RoomFacts, caller: CallerFacts, action: RoomAction): Decision {
	if (caller.userId === null && action !== RoomAction.View) {
		// Reach (issue 14): anyone with the link may listen to a public live room without an account.
		if (action === RoomAction.Join && room.visibility === 'public') {
			return ALLOWED_STATES[action].includes(room.state)
				? { ok: true, role: Role.Listener }
				: room.state === 'ended'
					? { ok: false, status: 409, code: ErrorCode.RoomEnded, message: 'the room has ended' }
					: { ok: false, status: 409, code: ErrorCode.InvalidState, message: `the room is ${room.state}` };
		}

		return { ok: false, status: 401, code: ErrorCode.Unauthorized, message: 'sign in first' };
	}
	if (!canSee(room, caller)) {
		return { ok: false, status: 404, code: ErrorCode.NotFound, message: 'room not found' };
	}
	const role = roleInRoom(room, caller);
	if (role === null) {
		// Anonymous and viewing a room that is not private.
		return { ok: true, role };
	}
	if (action === RoomAction.Join && caller.banned) {
		return { ok: false, status: 403, code: ErrorCode.Banned, message: 'you were removed from this room' };
	}
	if (!can(role, action)) {
		return { ok: false, status: 403, code: ErrorCode.Forbidden, message: `a ${role} may not do this` };
	}
	if (!ALLOWED_STATES[action].includes(room.state)) {
		return room.state === 'ended'
			? { ok: false, status: 409, code: ErrorCode.RoomEnded, message: 'the room has ended' }
			: { ok: false, status: 409, code: ErrorCode.InvalidState, message: `the room is ${room.state}` };
	}

	return { ok: true, role };
}

/** {@link decide}, throwing the refusal as an {@link ApiError}; returns the caller's role. */
export function authorize(room: RoomFacts, caller: CallerFacts, action: RoomAction): Role | null {
	const decision = decide(room, caller, action);
	if (!decision.ok) {
		throw new ApiError(decision.status, decision.code, decision.message);
	}

	return decision.role;
}

/** A refused appointment or guest-list change: 409 with a reason. */
export interface TargetProblem {
	code: ErrorCode;
	message: string;
}

/**
 * Whether `targetId` may be made co-host: not the host, at most {@link MAX_COHOSTS}, and host plus
 * co-hosts must fit on the stage. Re-appointing a co-host is fine (idempotent PUT).
 */
export function cohostProblem(room: RoomFacts, targetId: string): TargetProblem | null {
	if (targetId === room.hostId) {
		return { code: ErrorCode.Conflict, message: 'the host cannot be a co-host' };
	}
	if (room.cohostIds.includes(targetId)) {
		return null;
	}
	if (room.cohostIds.length >= MAX_COHOSTS) {
		return { code: ErrorCode.Conflict, message: `a room has at most ${MAX_COHOSTS} co-hosts` };
	}
	if (room.cohostIds.length + 2 > room.maxSpeakers) {
		return {
			code: ErrorCode.StageFull,
			message: 'host and co-hosts would not fit on the stage (maxSpeakers)',
		};
	}

	return null;
}

/** Whether `targetId` may be made moderator: not the host, and not a co-host (only the host demotes them). */
export function moderatorProblem(room: RoomFacts, targetId: string): TargetProblem | null {
	if (targetId === room.hostId) {
		return { code: ErrorCode.Conflict, message: 'the host cannot be a moderator' };
	}
	if (room.cohostIds.includes(targetId)) {
		return { code: ErrorCode.Conflict, message: 'the user is a co-host; remove that first' };
	}

	return null;
}

/** Whether `targetId` may be on the guest list: anyone but the host. */
export function guestProblem(room: RoomFacts, targetId: string): TargetProblem | null {
	return targetId === room.hostId ? { code: ErrorCode.Conflict, message: 'the host is not a guest' } : null;
}

/** The role a user falls back to when an appointment is removed: `speaker` for speaker guests. */
export function fallbackRole(guestKind: GuestKind | null): Role {
	return guestKind === 'speaker' ? Role.Speaker : Role.Listener;
}

/** Smallest `maxSpeakers` the room accepts now: host plus current co-hosts. */
export function minMaxSpeakers(room: Pick<RoomFacts, 'cohostIds'>): number {
	return 1 + room.cohostIds.length;
}
