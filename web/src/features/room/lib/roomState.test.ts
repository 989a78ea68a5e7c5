import type { ServerNotification, Snapshot, StageMember } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { DeltaOrderer } from './DeltaOrderer';
import { type Announcement, applyDelta, type RoomState, stateFromSnapshot } from './roomState';

const ids = {
	host: '00000000-0000-4000-8000-000000000001',
	me: '00000000-0000-4000-8000-000000000002',
	sara: '00000000-0000-4000-8000-000000000003',
	omar: '00000000-0000-4000-8000-000000000004',
};

function member(
	userId: string,
	displayName: string,
	since: number,
	extra: Partial<StageMember> = {}
): StageMember {
	return {
		userId,
		handle: displayName.toLowerCase(),
		displayName,
		role: 'speaker',
		muted: true,
		hasAudio: true,
		since,
		...extra,
	};
}

function snapshot(seq: number, extra: Partial<Snapshot> = {}): Snapshot {
	return {
		room: {
			id: '00000000-0000-4000-8000-0000000000aa',
			title: 'Coffee',
			speakRequests: 'everyone',
			maxSpeakers: 10,
		},
		self: {
			userId: ids.me,
			role: 'moderator',
			onStage: false,
			muted: true,
			handRaised: false,
			invited: false,
		},
		stage: [member(ids.host, 'Hana', 100, { role: 'host', muted: false })],
		listenerCount: 3,
		hands: [],
		hostAwayUntil: null,
		seq,
		...extra,
	};
}

function n<T extends ServerNotification['type']>(
	type: T,
	seq: number,
	data: ServerNotification<T>['data']
): ServerNotification {
	return { type, seq, data } as ServerNotification;
}

/** Feeds frames through an orderer into the reducer, as RoomClient does. */
function session(initial: Snapshot | null) {
	let state: RoomState | null = null;
	const said: Announcement[] = [];
	const delivered: number[] = [];
	const orderer = new DeltaOrderer((notification) => {
		delivered.push(notification.seq);
		if (state) {
			const result = applyDelta(state, notification);
			state = result.state;
			said.push(...result.announcements);
		}
	});
	const start = (s: Snapshot) => {
		state = stateFromSnapshot(s);
		orderer.start(s.seq);
	};
	if (initial) {
		start(initial);
	}

	return { orderer, start, said, delivered, get: () => state! };
}

describe('stateFromSnapshot()', () => {
	test('orders the stage by arrival and hands first come first served', () => {
		const state = stateFromSnapshot(
			snapshot(5, {
				stage: [member(ids.sara, 'Sara', 300), member(ids.host, 'Hana', 100, { role: 'host' })],
				hands: [
					{ user: { id: ids.omar, handle: 'omar', displayName: 'Omar' }, at: 20 },
					{ user: { id: ids.sara, handle: 'sara', displayName: 'Sara' }, at: 10 },
				],
			})
		);
		expect(state.stage.map((m) => m.displayName)).toEqual(['Hana', 'Sara']);
		expect(state.hands.map((h) => h.user.displayName)).toEqual(['Sara', 'Omar']);
		expect(state.seq).toBe(5);
	});
});

describe('snapshot + deltas in seq order', () => {
	test('deltas that arrive before the snapshot are held, sorted by seq, and those it includes dropped', () => {
		const s = session(null);
		// Frames as they might come off the socket while session:join is still pending.
		s.orderer.push(n('listeners:count', 12, { count: 40 }));
		s.orderer.push(n('stage:member', 11, member(ids.sara, 'Sara', 200)));
		s.orderer.push(n('listeners:count', 9, { count: 99 })); // already in the snapshot
		s.orderer.push(n('stage:left', 13, { userId: ids.sara }));
		expect(s.orderer.held).toBe(4);
		s.start(snapshot(10));
		expect(s.delivered).toEqual([11, 12, 13]);
		expect(s.get().listenerCount).toBe(40);
		expect(s.get().stage.map((m) => m.userId)).toEqual([ids.host]);
		expect(s.get().seq).toBe(13);
		expect(s.said).toEqual([
			{ key: 'announce.joinedStage', vars: { name: 'Sara' } },
			{ key: 'announce.leftStage', vars: { name: 'Sara' } },
		]);
	});

	test('after the snapshot, stale deltas are dropped and the rest applied in arrival order', () => {
		const s = session(snapshot(20));
		s.orderer.push(n('listeners:count', 20, { count: 1 }));
		s.orderer.push(n('listeners:count', 21, { count: 7 }));
		s.orderer.push(n('listeners:count', 22, { count: 8 }));
		expect(s.delivered).toEqual([21, 22]);
		expect(s.get().listenerCount).toBe(8);
	});

	test('media notifications are never dropped as stale, whatever their seq', () => {
		const s = session(snapshot(20));
		s.orderer.push(
			n('consumer:new', 3, {
				consumerId: 'c1',
				producerId: 'p1',
				userId: ids.host,
				kind: 'audio',
				rtpParameters: {},
			})
		);
		s.orderer.push(n('stage:speaking', 4, { userIds: [ids.host] }));
		expect(s.delivered).toEqual([3, 4]);
		expect(s.get().speaking).toEqual([ids.host]);
	});

	test('a new session forgets the old snapshot', () => {
		const s = session(snapshot(50));
		s.orderer.reset();
		expect(s.orderer.started).toBe(false);
		s.orderer.push(n('listeners:count', 2, { count: 2 }));
		expect(s.delivered).toEqual([]);
		s.start(snapshot(1));
		expect(s.get().listenerCount).toBe(2);
	});
});

describe('applyDelta()', () => {
	test('the hand queue stays FIFO and announces raised hands once', () => {
		const s = session(snapshot(0));
		const omar = { id: ids.omar, handle: 'omar', displayName: 'Omar' };
		const sara = { id: ids.sara, handle: 'sara', displayName: 'Sara' };
		s.orderer.push(n('hand:raised', 1, { user: omar, at: 2000 }));
		s.orderer.push(n('hand:raised', 2, { user: sara, at: 1000 }));
		s.orderer.push(n('hand:raised', 3, { user: omar, at: 2000 }));
		expect(s.get().hands.map((h) => h.user.id)).toEqual([ids.sara, ids.omar]);
		s.orderer.push(n('hand:lowered', 4, { userId: ids.sara }));
		expect(s.get().hands.map((h) => h.user.id)).toEqual([ids.omar]);
		expect(s.said.map((a) => a.vars?.name)).toEqual(['Omar', 'Sara']);
	});

	test('mute changes of others are announced; stage updates keep order', () => {
		const s = session(
			snapshot(0, { stage: [member(ids.host, 'Hana', 100, { role: 'host', muted: false })] })
		);
		s.orderer.push(n('stage:member', 1, member(ids.sara, 'Sara', 50)));
		s.orderer.push(n('stage:member', 2, member(ids.sara, 'Sara', 50, { muted: false })));
		s.orderer.push(n('speaker:muted', 3, { userId: ids.sara, by: ids.host }));
		s.orderer.push(n('stage:member', 4, member(ids.sara, 'Sara', 50, { muted: true })));
		expect(s.get().stage.map((m) => m.displayName)).toEqual(['Sara', 'Hana']);
		expect(s.said.map((a) => a.key)).toEqual(['announce.joinedStage', 'announce.unmuted', 'announce.muted']);
	});

	test('self state: invitation, coming on stage, being muted by a moderator', () => {
		const s = session(snapshot(0));
		const me = s.get().self;
		s.orderer.push(n('self:state', 1, { ...me, handRaised: true }));
		s.orderer.push(n('stage:invited', 2, { by: { id: ids.host, handle: 'hana', displayName: 'Hana' } }));
		s.orderer.push(n('self:state', 3, { ...me, handRaised: true, invited: true }));
		expect(s.get().invitedBy?.displayName).toBe('Hana');
		s.orderer.push(n('self:state', 4, { ...me, onStage: true, muted: true }));
		expect(s.get().invitedBy).toBeNull();
		s.orderer.push(n('self:state', 5, { ...me, onStage: true, muted: false }));
		s.orderer.push(n('speaker:muted', 6, { userId: ids.me, by: ids.host }));
		s.orderer.push(n('self:state', 7, { ...me, onStage: true, muted: true }));
		expect(s.said).toEqual([
			{ key: 'announce.youHandRaised' },
			{ key: 'announce.youInvited', vars: { name: 'Hana' } },
			{ key: 'announce.youOnStage' },
			{ key: 'room.youAreLive' },
			{ key: 'announce.youWereMuted', vars: { by: 'Hana' } },
			{ key: 'room.youAreMuted' },
		]);
	});

	test('a role change is announced with the role as a translatable value', () => {
		const s = session(snapshot(0));
		s.orderer.push(n('self:state', 1, { ...s.get().self, role: 'cohost' }));
		expect(s.said).toEqual([{ key: 'announce.youRole', vars: { role: { key: 'role.cohost' } } }]);
	});

	test('host away and back; a co-host taking over is announced', () => {
		const s = session(
			snapshot(0, {
				stage: [
					member(ids.host, 'Hana', 1, { role: 'host' }),
					member(ids.sara, 'Sara', 2, { role: 'cohost' }),
				],
			})
		);
		s.orderer.push(n('host:away', 1, { until: 123456 }));
		expect(s.get().hostAwayUntil).toBe(123456);
		s.orderer.push(n('host:changed', 2, { userId: ids.sara }));
		expect(s.get().hostAwayUntil).toBeNull();
		expect(s.said.at(-1)).toEqual({ key: 'announce.hostChanged', vars: { name: 'Sara' } });
	});

	test('a takeover is announced although the former host left the stage first; a return is not', () => {
		const stage = [
			member(ids.host, 'Hana', 1, { role: 'host' }),
			member(ids.sara, 'Sara', 2, { role: 'cohost' }),
		];
		const back = session(snapshot(0, { stage }));
		back.orderer.push(n('host:away', 1, { until: 123456 }));
		back.orderer.push(n('host:changed', 2, { userId: ids.host }));
		expect(back.said.map((a) => a.key)).not.toContain('announce.hostChanged');

		const s = session(snapshot(0, { stage }));
		s.orderer.push(n('host:away', 1, { until: 123456 }));
		s.orderer.push(n('stage:left', 2, { userId: ids.host }));
		s.orderer.push(n('host:changed', 3, { userId: ids.sara }));
		s.orderer.push(n('stage:member', 4, member(ids.sara, 'Sara', 2, { role: 'host' })));
		expect(s.said.at(-1)).toEqual({ key: 'announce.hostChanged', vars: { name: 'Sara' } });
		expect(s.get().hostId).toBe(ids.sara);
	});

	test('room:ended and session:closing are recorded', () => {
		const s = session(snapshot(0));
		s.orderer.push(n('session:closing', 1, { reason: 'removed' }));
		s.orderer.push(n('room:ended', 2, { reason: 'host' }));
		expect(s.get().closing).toBe('removed');
		expect(s.get().ended).toBe('host');
	});
});
