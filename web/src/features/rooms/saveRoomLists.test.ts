import type { Room, UserSummary } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { diffRoomLists } from './saveRoomLists';

const user = (n: number): UserSummary => ({
	id: `00000000-0000-4000-8000-00000000000${n}`,
	handle: `user${n}`,
	displayName: `User ${n}`,
});
const [a, b, c, d] = [user(1), user(2), user(3), user(4)];

describe('diffRoomLists()', () => {
	test('a new room appoints every co-host and adds every guest', () => {
		expect(diffRoomLists(null, { cohosts: [a], guests: [{ user: b, kind: 'speaker' }] })).toEqual({
			addCohosts: [a.id],
			removeCohosts: [],
			putGuests: [{ userId: b.id, kind: 'speaker' }],
			removeGuests: [],
		});
	});

	test('an edit adds, removes and changes only what differs', () => {
		const before = {
			room: { cohosts: [a, b] } as Room,
			guests: [
				{ user: c, kind: 'speaker' as const },
				{ user: d, kind: 'listener' as const },
			],
		};
		const after = {
			cohosts: [b, c],
			guests: [
				{ user: c, kind: 'listener' as const },
				{ user: a, kind: 'speaker' as const },
			],
		};
		expect(diffRoomLists(before, after)).toEqual({
			addCohosts: [c.id],
			removeCohosts: [a.id],
			putGuests: [
				{ userId: c.id, kind: 'listener' },
				{ userId: a.id, kind: 'speaker' },
			],
			removeGuests: [d.id],
		});
	});

	test('no change means no calls', () => {
		const before = { room: { cohosts: [a] } as Room, guests: [{ user: b, kind: 'speaker' as const }] };
		expect(diffRoomLists(before, { cohosts: [a], guests: before.guests })).toEqual({
			addCohosts: [],
			removeCohosts: [],
			putGuests: [],
			removeGuests: [],
		});
	});
});
