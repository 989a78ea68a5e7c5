import { ErrorCode, type InternalRoom } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { liveRecord, testUser } from '../../test/support/liveRecord.js';
import { SfuError } from '../errors.js';
import { LiveState, liveStateDataChecker } from './LiveState.js';

const user = testUser;

const host = user('host');
const cohost1 = user('cohost1');
const cohost2 = user('cohost2');
const mod = user('mod');
const alice = user('alice');
const bob = user('bob');
const carol = user('carol');
const guest = user('guest');

function record(overrides: Partial<InternalRoom> = {}): InternalRoom {
	return liveRecord(host.id, {
		cohosts: [cohost1, cohost2],
		moderators: [mod],
		guests: [{ userId: guest.id, kind: 'speaker' }],
		...overrides,
	});
}

function refusal(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		if (error instanceof SfuError) {
			return error.code;
		}
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('LiveState', () => {
	test('roles: appointments from the API, `speaker` on stage, `listener` otherwise', () => {
		const s = LiveState.open(record(), null, 1000);
		expect(s.roleOf(host.id)).toBe('host');
		expect(s.roleOf(cohost1.id)).toBe('cohost');
		expect(s.roleOf(mod.id)).toBe('moderator');
		expect(s.roleOf(alice.id)).toBe('listener');
		s.invite(mod.id, alice.id);
		s.accept(alice, 1001);
		expect(s.roleOf(alice.id)).toBe('speaker');
		expect(s.appointedRole(alice.id)).toBe('listener');
	});

	test('hands form a FIFO queue; raising twice keeps the first place; lowering removes it', () => {
		const s = LiveState.open(record(), null, 0);
		expect(s.raiseHand(bob, 10)).toMatchObject({ user: bob, at: 10 });
		expect(s.raiseHand(alice, 20)).not.toBeNull();
		expect(s.raiseHand(bob, 30)).toBeNull();
		expect(s.raiseHand(carol, 40)).not.toBeNull();
		expect(s.hands().map((h) => h.user.handle)).toEqual(['bob', 'alice', 'carol']);
		expect(s.lowerHand(alice.id)).toBe(true);
		expect(s.lowerHand(alice.id)).toBe(false);
		expect(s.hands().map((h) => h.user.handle)).toEqual(['bob', 'carol']);
	});

	test('speakRequests off: nobody raises a hand; invited: only guest-list entries', () => {
		const off = LiveState.open(record({ speakRequests: 'off' }), null, 0);
		expect(refusal(() => off.raiseHand(alice, 1))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => off.raiseHand(guest, 1))).toBe(ErrorCode.Forbidden);

		const listenerGuest = user('lg');
		const invited = LiveState.open(
			record({
				speakRequests: 'invited',
				guests: [
					{ userId: guest.id, kind: 'speaker' },
					{ userId: listenerGuest.id, kind: 'listener' },
				],
			}),
			null,
			0
		);
		expect(refusal(() => invited.raiseHand(alice, 1))).toBe(ErrorCode.Forbidden);
		expect(invited.raiseHand(guest, 1)).not.toBeNull();
		expect(invited.raiseHand(listenerGuest, 2)).not.toBeNull();
		// Dropping someone from the guest list lowers their hand.
		expect(invited.setGuest(listenerGuest.id, null)).toBe(true);
		expect(invited.hands().map((h) => h.user.id)).toEqual([guest.id]);
	});

	test('switching the policy to off lowers every hand', () => {
		const s = LiveState.open(record(), null, 0);
		s.raiseHand(alice, 1);
		s.raiseHand(bob, 2);
		expect(s.updateInfo({ ...s.info, speakRequests: 'off' })).toEqual([alice.id, bob.id]);
		expect(s.hands()).toEqual([]);
	});

	test('an invitation is an offer: accepting joins the stage muted and takes the hand down', () => {
		const s = LiveState.open(record(), null, 0);
		s.raiseHand(alice, 1);
		expect(s.invite(cohost1.id, alice.id)).toEqual({ handLowered: true });
		expect(s.isInvited(alice.id)).toBe(true);
		expect(s.isOnStage(alice.id)).toBe(false);
		const { entry } = s.accept(alice, 5);
		expect(entry).toMatchObject({ muted: true, since: 5 });
		expect(s.isInvited(alice.id)).toBe(false);
	});

	test('accepting needs an invitation, a speaker-guest entry, or a role that speaks by default', () => {
		const s = LiveState.open(record(), null, 0);
		expect(refusal(() => s.accept(alice, 1))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => s.accept(mod, 1))).toBe(ErrorCode.Forbidden);
		expect(s.accept(guest, 1).entry.muted).toBe(true);
		expect(s.accept(cohost1, 1).entry.muted).toBe(true);
		expect(refusal(() => s.accept(cohost1, 1))).toBe(ErrorCode.InvalidState);
	});

	test('a speaker guest comes on stage without an invitation, but only while there is room', () => {
		const s = LiveState.open(record({ maxSpeakers: 2 }), null, 0);
		s.autoStage(host, 1);
		s.invite(host.id, alice.id);
		s.accept(alice, 2);
		expect(refusal(() => s.accept(guest, 3))).toBe(ErrorCode.StageFull);
		s.leaveStage(alice.id, alice.id);
		expect(s.accept(guest, 4).entry.muted).toBe(true);
		expect(s.roleOf(guest.id)).toBe('speaker');
	});

	test('declining clears the invitation; declining nothing is refused', () => {
		const s = LiveState.open(record(), null, 0);
		s.invite(host.id, bob.id);
		s.decline(bob.id);
		expect(s.isInvited(bob.id)).toBe(false);
		expect(refusal(() => s.decline(bob.id))).toBe(ErrorCode.InvalidState);
	});

	test('only moderators invite', () => {
		const s = LiveState.open(record(), null, 0);
		expect(refusal(() => s.invite(alice.id, bob.id))).toBe(ErrorCode.Forbidden);
		s.invite(mod.id, bob.id);
		expect(s.isInvited(bob.id)).toBe(true);
	});

	test('maxSpeakers counts host and co-hosts and is enforced on invite and on accept', () => {
		const s = LiveState.open(record({ maxSpeakers: 3 }), null, 0);
		s.autoStage(host, 1);
		s.autoStage(cohost1, 2);
		s.invite(host.id, alice.id);
		s.invite(host.id, bob.id);
		s.accept(alice, 3);
		expect(refusal(() => s.accept(bob, 4))).toBe(ErrorCode.StageFull);
		expect(refusal(() => s.invite(host.id, carol.id))).toBe(ErrorCode.StageFull);
		// A co-host does not get a place automatically on a full stage; the host always does.
		expect(s.autoStage(cohost2, 5)).toBeNull();
		s.leaveStage(host.id, host.id);
		expect(s.autoStage(host, 6)).not.toBeNull();
	});

	test('mute: self or a higher rank; unmute: only oneself, only on stage', () => {
		const s = LiveState.open(record(), null, 0);
		s.autoStage(host, 1);
		s.autoStage(cohost1, 2);
		s.accept(guest, 3);
		s.unmute(guest.id);
		expect(s.mute(mod.id, guest.id)).toBe(true);
		expect(s.mute(mod.id, guest.id)).toBe(false);
		expect(s.stageEntry(guest.id)?.muted).toBe(true);
		// Nobody unmutes someone else: there is no such transition, and a moderator off stage cannot unmute.
		expect(refusal(() => s.unmute(mod.id))).toBe(ErrorCode.Forbidden);
		expect(s.unmute(guest.id)).toBe(true);
		expect(refusal(() => s.mute(alice.id, guest.id))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => s.mute(cohost1.id, host.id))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => s.mute(mod.id, cohost1.id))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => s.mute(host.id, alice.id))).toBe(ErrorCode.InvalidState);
	});

	test('mute all mutes every stage member the actor outranks, never the actor', () => {
		const s = LiveState.open(record(), null, 0);
		for (const u of [host, cohost1]) {
			s.autoStage(u, 1);
			s.unmute(u.id);
		}
		s.accept(guest, 2);
		s.unmute(guest.id);
		expect(s.muteAll(cohost1.id)).toEqual([guest.id]);
		expect(s.stageEntry(host.id)?.muted).toBe(false);
		expect(s.stageEntry(cohost1.id)?.muted).toBe(false);
		expect(s.muteAll(host.id)).toEqual([cohost1.id]);
		expect(refusal(() => s.muteAll(guest.id))).toBe(ErrorCode.Forbidden);
	});

	test('move to listeners: oneself or someone outranked; not someone off stage', () => {
		const s = LiveState.open(record(), null, 0);
		s.autoStage(host, 1);
		s.accept(guest, 2);
		expect(refusal(() => s.leaveStage(cohost1.id, host.id))).toBe(ErrorCode.Forbidden);
		expect(s.leaveStage(mod.id, guest.id).user).toEqual(guest);
		expect(refusal(() => s.leaveStage(mod.id, guest.id))).toBe(ErrorCode.InvalidState);
		s.accept(guest, 3);
		s.leaveStage(guest.id, guest.id);
		expect(s.isOnStage(guest.id)).toBe(false);
	});

	test('remove: moderators over lower ranks only; a ban forgets the user', () => {
		const s = LiveState.open(record(), null, 0);
		expect(refusal(() => s.assertCanRemove(cohost1.id, cohost2.id))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => s.assertCanRemove(alice.id, bob.id))).toBe(ErrorCode.Forbidden);
		expect(refusal(() => s.assertCanRemove(host.id, host.id))).toBe(ErrorCode.InvalidState);
		s.assertCanRemove(mod.id, bob.id);
		s.raiseHand(bob, 1);
		expect(s.ban(bob.id)).toEqual({ leftStage: false, handLowered: true, inviteCleared: false });
		expect(s.isBanned(bob.id)).toBe(true);
	});

	test('an unban (through the API) lifts the ban once; the user may come back as a listener', () => {
		const s = LiveState.open(record(), null, 0);
		s.ban(alice.id);
		expect(s.isBanned(alice.id)).toBe(true);
		expect(s.unban(alice.id)).toBe(true);
		expect(s.isBanned(alice.id)).toBe(false);
		expect(s.unban(alice.id)).toBe(false);
		expect(s.roleOf(alice.id)).toBe('listener');
	});

	test('only the host ends the room', () => {
		const s = LiveState.open(record(), null, 0);
		expect(refusal(() => s.assertCanEnd(cohost1.id))).toBe(ErrorCode.Forbidden);
		s.assertCanEnd(host.id);
	});

	test('successor: the longest-serving co-host who is present', () => {
		const s = LiveState.open(record(), null, 1000);
		expect(s.pickSuccessor(() => true)).toBe(cohost1.id);
		expect(s.pickSuccessor((id) => id === cohost2.id)).toBe(cohost2.id);
		expect(s.pickSuccessor(() => false)).toBeUndefined();
		// Appointed later through the API: served less.
		s.setAppointment(alice.id, 'cohost', 5000);
		expect(s.cohosts()).toEqual([cohost1.id, cohost2.id, alice.id]);
		expect(s.transferHost(cohost1.id)).toBe(host.id);
		expect(s.roleOf(cohost1.id)).toBe('host');
		expect(s.roleOf(host.id)).toBe('listener');
		expect(s.cohosts()).toEqual([cohost2.id, alice.id]);
	});

	test('role changes through the API: appoint, remove, and make host', () => {
		const s = LiveState.open(record(), null, 0);
		expect(s.setAppointment(alice.id, 'moderator', 1)).toEqual({ before: 'listener', after: 'moderator' });
		expect(s.setAppointment(mod.id, 'listener', 2)).toEqual({ before: 'moderator', after: 'listener' });
		s.accept(guest, 3);
		expect(s.setAppointment(guest.id, 'cohost', 4)).toEqual({ before: 'speaker', after: 'cohost' });
		expect(s.setAppointment(guest.id, 'listener', 5)).toEqual({ before: 'cohost', after: 'speaker' });
		// The host's role only changes by someone else becoming host.
		expect(s.setAppointment(host.id, 'listener', 6).after).toBe('host');
		expect(s.setAppointment(bob.id, 'host', 7).after).toBe('host');
		expect(s.hostId).toBe(bob.id);
	});

	test('the saved state round-trips through the bus format and is merged with the API record', () => {
		const room = record();
		const s = LiveState.open(room, null, 0);
		s.autoStage(host, 1);
		s.accept(guest, 2);
		s.unmute(guest.id);
		s.raiseHand(alice, 3);
		s.raiseHand(bob, 4);
		s.invite(host.id, carol.id);
		s.ban(user('x').id);
		s.setHostAway(99);
		const data = JSON.parse(JSON.stringify(s.toData(10)));
		expect(liveStateDataChecker.check(data)).toBe(true);

		// The API removed bob since (banned) and switched requests to invited-only.
		const restored = LiveState.open(
			{
				...room,
				banned: [bob.id],
				speakRequests: 'invited',
				guests: [...room.guests, { userId: alice.id, kind: 'listener' }],
			},
			data,
			20
		);
		expect(restored.stage().map((e) => [e.user.id, e.muted])).toEqual([
			[host.id, true],
			[guest.id, false],
		]);
		expect(restored.hands().map((h) => h.user.id)).toEqual([alice.id]);
		expect(restored.isInvited(carol.id)).toBe(true);
		expect(restored.isBanned(bob.id)).toBe(true);
		expect(restored.hostAwayUntil).toBe(99);
		expect(restored.toData(30).banned).toHaveLength(2);
	});

	test('unreadable saved data is rejected by the checker', () => {
		expect(liveStateDataChecker.check({ version: 2 })).toBe(false);
		expect(liveStateDataChecker.explain({ version: 1 })).toBeTruthy();
	});
});
