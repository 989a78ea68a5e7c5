import { Role } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { Action, can } from './permissions.js';

const roles = Object.values(Role);

describe('can()', () => {
	test('only the host ends the room', () => {
		expect(roles.filter((r) => can(r, Action.End))).toEqual([Role.Host]);
	});

	test('host, co-hosts and moderators invite and see hands; speakers and listeners do not', () => {
		for (const action of [Action.Invite, Action.SeeHands, Action.SlowMode]) {
			expect(roles.filter((r) => can(r, action))).toEqual([Role.Host, Role.Cohost, Role.Moderator]);
		}
	});

	test.each([Action.Mute, Action.MoveToListeners, Action.Remove, Action.DeleteMessage, Action.ChatMute])(
		'%s needs a higher rank than the target',
		(action) => {
			expect(can(Role.Host, action, Role.Cohost)).toBe(true);
			expect(can(Role.Cohost, action, Role.Speaker)).toBe(true);
			expect(can(Role.Moderator, action, Role.Speaker)).toBe(true);
			expect(can(Role.Moderator, action, Role.Listener)).toBe(true);
			// X Spaces: a co-host cannot act on the host or the other co-host.
			expect(can(Role.Cohost, action, Role.Host)).toBe(false);
			expect(can(Role.Cohost, action, Role.Cohost)).toBe(false);
			expect(can(Role.Moderator, action, Role.Moderator)).toBe(false);
			expect(can(Role.Moderator, action, Role.Cohost)).toBe(false);
			expect(can(Role.Speaker, action, Role.Listener)).toBe(false);
			expect(can(Role.Host, action)).toBe(false);
		}
	);
});
