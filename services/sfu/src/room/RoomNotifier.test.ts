import {
	type InternalRoom,
	type NotificationType,
	roomPresenceKey,
	type UserSummary,
} from '@majlis/protocol';
import { createLogger, MemoryBus } from '@majlis/server-kit';
import { describe, expect, test } from 'vitest';
import { liveRecord, testUser } from '../../test/support/liveRecord.js';
import { ManualClock } from '../../test/support/ManualClock.js';
import type { PeerChannel } from './contracts.js';
import { LiveState } from './LiveState.js';
import { Peer } from './Peer.js';
import { RoomNotifier } from './RoomNotifier.js';

const user = testUser;

const host = user('host');
const mod = user('mod');
const alice = user('alice');
const bob = user('bob');

function record(): InternalRoom {
	return liveRecord(host.id, { moderators: [mod] });
}

// An in-memory channel: what the client of a peer would receive.
class InboxChannel implements PeerChannel {
	readonly received: { type: NotificationType; data: unknown }[] = [];

	notify(type: NotificationType, data: unknown): void {
		this.received.push({ type, data });
	}

	close(): void {}

	types(): NotificationType[] {
		return this.received.map((n) => n.type);
	}
}

// A room of `users` with their inboxes, around a notifier on a manual clock and an in-process bus.
function room(users: UserSummary[]) {
	const clock = new ManualClock();
	const bus = new MemoryBus(() => clock.now());
	const rec = record();
	const state = LiveState.open(rec, null, clock.now());
	const peers = new Map<string, Peer>();
	const inbox = new Map<string, InboxChannel>();
	for (const u of users) {
		const channel = new InboxChannel();
		inbox.set(u.id, channel);
		peers.set(u.id, new Peer(u, channel, clock.now()));
		state.autoStage(u, clock.now());
	}
	const notifier = new RoomNotifier({
		roomId: rec.id,
		peers,
		state,
		bus,
		clock,
		log: createLogger('test', 'silent'),
		countIntervalMs: 1000,
	});

	return { clock, bus, state, notifier, inbox: (u: UserSummary) => inbox.get(u.id)!, roomId: rec.id };
}

describe('RoomNotifier', () => {
	test('hands go to moderators only; own state only to its user; broadcasts to everyone', () => {
		const { state, notifier, inbox } = room([host, mod, alice, bob]);
		const hand = state.raiseHand(alice, 1)!;
		notifier.toModerators('hand:raised', hand);
		notifier.sendSelf(alice.id);
		notifier.broadcast('stage:left', { userId: bob.id });
		expect(inbox(host).types()).toEqual(['hand:raised', 'stage:left']);
		expect(inbox(mod).types()).toEqual(['hand:raised', 'stage:left']);
		expect(inbox(alice).types()).toEqual(['self:state', 'stage:left']);
		expect(inbox(alice).received[0]?.data).toMatchObject({
			userId: alice.id,
			handRaised: true,
			onStage: false,
		});
		expect(inbox(bob).types()).toEqual(['stage:left']);
	});

	test('the join snapshot shows the hand queue to moderators only', () => {
		const { state, notifier } = room([host, alice, bob]);
		state.raiseHand(alice, 1);
		expect(notifier.snapshot(host.id).hands).toHaveLength(1);
		expect(notifier.snapshot(bob.id).hands).toBeUndefined();
		expect(notifier.snapshot(bob.id)).toMatchObject({ listenerCount: 2, stage: [{ userId: host.id }] });
	});

	test('listeners:count is batched: once at once, then the last count at the end of the interval', async () => {
		const { clock, bus, notifier, inbox, roomId } = room([host, alice]);
		notifier.countChanged();
		notifier.countChanged();
		notifier.countChanged();
		expect(inbox(host).received.filter((n) => n.type === 'listeners:count')).toHaveLength(1);
		clock.advance(1000);
		// Nothing changed: the trailing run writes the presence but repeats no count.
		expect(inbox(host).received.filter((n) => n.type === 'listeners:count')).toHaveLength(1);
		expect(await bus.get(roomPresenceKey(roomId))).toBe('1');
	});

	test('after close nothing batched goes out', () => {
		const { clock, notifier, inbox } = room([host, alice]);
		notifier.countChanged();
		notifier.speakingChanged([host.id]);
		notifier.countChanged();
		notifier.close();
		clock.advance(5000);
		expect(inbox(alice).types()).toEqual(['listeners:count']);
	});
});
