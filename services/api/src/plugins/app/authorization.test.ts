import { ErrorCode, Role, type RoomState, type Visibility } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import {
	type CallerFacts,
	can,
	canSee,
	cohostProblem,
	decide,
	fallbackRole,
	guestProblem,
	MAX_COHOSTS,
	minMaxSpeakers,
	moderatorProblem,
	RoomAction,
	type RoomFacts,
	roleInRoom,
} from './authorization.js';

const HOST = 'host';
const COHOST = 'cohost';
const MOD = 'mod';
const SPEAKER_GUEST = 'speaker-guest';
const LISTENER_GUEST = 'listener-guest';
const STRANGER = 'stranger';

function room(overrides: Partial<RoomFacts> = {}): RoomFacts {
	return {
		state: 'scheduled',
		visibility: 'public',
		hostId: HOST,
		maxSpeakers: 13,
		cohostIds: [COHOST],
		moderatorIds: [MOD],
		...overrides,
	};
}

const guestKinds: Record<string, CallerFacts['guestKind']> = {
	[SPEAKER_GUEST]: 'speaker',
	[LISTENER_GUEST]: 'listener',
};

function caller(userId: string | null, banned = false): CallerFacts {
	return { userId, guestKind: userId === null ? null : (guestKinds[userId] ?? null), banned };
}

describe('roleInRoom()', () => {
	test.each([
		[HOST, Role.Host],
		[COHOST, Role.Cohost],
		[MOD, Role.Moderator],
		[SPEAKER_GUEST, Role.Speaker],
		[LISTENER_GUEST, Role.Listener],
		[STRANGER, Role.Listener],
		[null, null],
	])('%s is %s', (userId, role) => {
		expect(roleInRoom(room(), caller(userId))).toBe(role);
	});

	test('an appointment outranks a guest entry', () => {
		expect(roleInRoom(room({ moderatorIds: [SPEAKER_GUEST] }), caller(SPEAKER_GUEST))).toBe(Role.Moderator);
	});
});

describe('canSee()', () => {
	test.each<[Visibility, string | null, boolean]>([
		['public', null, true],
		['unlisted', null, true],
		['unlisted', STRANGER, true],
		['private', null, false],
		['private', STRANGER, false],
		['private', HOST, true],
		['private', COHOST, true],
		['private', MOD, true],
		['private', SPEAKER_GUEST, true],
		['private', LISTENER_GUEST, true],
	])('%s room, %s → %s', (visibility, userId, visible) => {
		expect(canSee(room({ visibility }), caller(userId))).toBe(visible);
	});
});

describe('can()', () => {
	// The rules of the issue, spelled out role by role: who may do what, whatever the state.
	const expected: Record<RoomAction, Role[]> = {
		view: [Role.Host, Role.Cohost, Role.Moderator, Role.Speaker, Role.Listener],
		edit: [Role.Host, Role.Cohost],
		start: [Role.Host, Role.Cohost],
		end: [Role.Host],
		cancel: [Role.Host],
		'manage-cohosts': [Role.Host],
		'manage-moderators': [Role.Host, Role.Cohost],
		'view-guests': [Role.Host, Role.Cohost, Role.Moderator],
		'manage-guests': [Role.Host, Role.Cohost, Role.Moderator],
		'view-bans': [Role.Host, Role.Cohost, Role.Moderator],
		unban: [Role.Host, Role.Cohost],
		ban: [Role.Host, Role.Cohost, Role.Moderator],
		'view-moderation-log': [Role.Host, Role.Cohost, Role.Moderator],
		'hand-over': [Role.Host],
		join: [Role.Host, Role.Cohost, Role.Moderator, Role.Speaker, Role.Listener],
	};
	const roles = Object.values(Role);
	for (const action of Object.values(RoomAction)) {
		test(`${action}: only ${expected[action].join(', ')}`, () => {
			expect(roles.filter((r) => can(r, action))).toEqual(expected[action]);
		});
	}
});

describe('decide()', () => {
	test('anonymous callers get 401 for everything but viewing, and joining a public room (reach, issue 14)', () => {
		for (const action of Object.values(RoomAction)) {
			const decision = decide(room({ state: 'live' }), caller(null), action);
			const allowed = action === RoomAction.View || action === RoomAction.Join;
			expect(decision.ok ? 200 : decision.status).toBe(allowed ? 200 : 401);
		}
	});

	test('an anonymous listener joins only a public live room, as a listener', () => {
		expect(decide(room({ state: 'live' }), caller(null), RoomAction.Join)).toEqual({
			ok: true,
			role: 'listener',
		});
		expect(decide(room({ state: 'scheduled' }), caller(null), RoomAction.Join)).toMatchObject({
			status: 409,
		});
		expect(decide(room({ state: 'ended' }), caller(null), RoomAction.Join)).toMatchObject({
			code: 'room_ended',
		});
		for (const visibility of ['unlisted', 'private'] as const) {
			expect(decide(room({ state: 'live', visibility }), caller(null), RoomAction.Join)).toMatchObject({
				status: 401,
			});
		}
	});

	test('outsiders of a private room get 404 for everything, as if it did not exist', () => {
		for (const action of Object.values(RoomAction)) {
			expect(decide(room({ visibility: 'private' }), caller(STRANGER), action)).toMatchObject({
				ok: false,
				status: 404,
			});
		}
	});

	test('outsiders of a public room may view and join but not manage', () => {
		const live = room({ state: 'live' });
		expect(decide(live, caller(STRANGER), RoomAction.View)).toEqual({ ok: true, role: Role.Listener });
		expect(decide(live, caller(STRANGER), RoomAction.Join)).toEqual({ ok: true, role: Role.Listener });
		expect(decide(live, caller(STRANGER), RoomAction.Edit)).toMatchObject({ ok: false, status: 403 });
	});

	test('banned users get 403 banned when joining', () => {
		expect(decide(room({ state: 'live' }), caller(STRANGER, true), RoomAction.Join)).toMatchObject({
			ok: false,
			status: 403,
			code: ErrorCode.Banned,
		});
	});

	test.each<[RoomAction, RoomState, number, string | undefined]>([
		[RoomAction.Start, 'scheduled', 200, undefined],
		[RoomAction.Start, 'live', 409, ErrorCode.InvalidState],
		[RoomAction.Start, 'ended', 409, ErrorCode.RoomEnded],
		[RoomAction.End, 'live', 200, undefined],
		[RoomAction.End, 'scheduled', 409, ErrorCode.InvalidState],
		[RoomAction.Cancel, 'scheduled', 200, undefined],
		[RoomAction.Cancel, 'live', 409, ErrorCode.InvalidState],
		[RoomAction.Join, 'scheduled', 409, ErrorCode.InvalidState],
		[RoomAction.Join, 'ended', 409, ErrorCode.RoomEnded],
		[RoomAction.Edit, 'live', 200, undefined],
		[RoomAction.Edit, 'ended', 409, ErrorCode.RoomEnded],
		[RoomAction.ManageCohosts, 'ended', 409, ErrorCode.RoomEnded],
		[RoomAction.ManageGuests, 'ended', 409, ErrorCode.RoomEnded],
		[RoomAction.ViewGuests, 'ended', 200, undefined],
		[RoomAction.View, 'ended', 200, undefined],
	])('host: %s in a %s room → %i', (action, state, status, code) => {
		const decision = decide(room({ state }), caller(HOST), action);
		expect(decision.ok ? 200 : decision.status).toBe(status);
		if (!decision.ok) {
			expect(decision.code).toBe(code);
		}
	});

	test('permission is checked before state: an outsider gets 403 on an ended room, not 409', () => {
		expect(decide(room({ state: 'ended' }), caller(STRANGER), RoomAction.Edit)).toMatchObject({
			status: 403,
		});
	});
});

describe('appointment rules', () => {
	test(`at most ${MAX_COHOSTS} co-hosts; re-appointing one is fine`, () => {
		const full = room({ cohostIds: ['a', 'b'] });
		expect(cohostProblem(full, 'c')).toMatchObject({ code: ErrorCode.Conflict });
		expect(cohostProblem(full, 'a')).toBeNull();
		expect(cohostProblem(room({ cohostIds: ['a'] }), 'c')).toBeNull();
	});

	test('the host cannot be co-host, moderator or guest', () => {
		expect(cohostProblem(room(), HOST)).not.toBeNull();
		expect(moderatorProblem(room(), HOST)).not.toBeNull();
		expect(guestProblem(room(), HOST)).not.toBeNull();
		expect(guestProblem(room(), STRANGER)).toBeNull();
	});

	test('a co-host cannot be made moderator (only the host removes co-hosts)', () => {
		expect(moderatorProblem(room(), COHOST)).not.toBeNull();
		expect(moderatorProblem(room(), STRANGER)).toBeNull();
	});

	test('host and co-hosts must fit on the stage', () => {
		expect(cohostProblem(room({ cohostIds: [], maxSpeakers: 1 }), 'x')).toMatchObject({
			code: ErrorCode.StageFull,
		});
		expect(cohostProblem(room({ cohostIds: [], maxSpeakers: 2 }), 'x')).toBeNull();
		expect(minMaxSpeakers(room({ cohostIds: ['a', 'b'] }))).toBe(3);
	});

	test('removing an appointment leaves speaker guests speakers', () => {
		expect(fallbackRole('speaker')).toBe(Role.Speaker);
		expect(fallbackRole('listener')).toBe(Role.Listener);
		expect(fallbackRole(null)).toBe(Role.Listener);
	});
});
