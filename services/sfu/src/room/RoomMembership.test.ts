import { CloseCode, type NotificationType } from '@majlis/protocol';
import { createLogger, MemoryBus } from '@majlis/server-kit';
import { describe, expect, test } from 'vitest';
import { liveRecord, testUser } from '../../test/support/liveRecord.js';
import { ManualClock } from '../../test/support/ManualClock.js';
import type { ApiClient } from '../ApiClient.js';
import { BannedError, RoomEndedError, UnavailableError } from '../errors.js';
import { HostPresence } from './HostPresence.js';
import { LiveState } from './LiveState.js';
import type { Peer, PeerChannel } from './Peer.js';
import { RoomMembership } from './RoomMembership.js';
import { RoomNotifier } from './RoomNotifier.js';

const user = testUser;

// What the client of a connection would see: its notifications and how its socket closed.
class InboxChannel implements PeerChannel {
	readonly received: NotificationType[] = [];
	closedWith: number | null = null;

	notify(type: NotificationType): void {
		this.received.push(type);
	}

	close(code: number): void {
		this.closedWith = code;
	}
}

// The membership of one room, over its real live state, notifier and host presence on a manual clock.
function membership() {
	const host = user('host');
	const listener = user('listener');
	const record = liveRecord(host.id);
	const clock = new ManualClock();
	const log = createLogger('test', 'silent');
	const state = LiveState.open(record, null, clock.now());
	const peers = new Map<string, Peer>();
	const bus = new MemoryBus(() => clock.now());
	const notifier = new RoomNotifier({
		roomId: record.id,
		peers,
		state,
		bus,
		clock,
		log,
		countIntervalMs: 1000,
	});
	const flags = { closed: false, ending: false, persisted: 0 };
	const joins: [string, number][] = [];
	const parts = {
		peers,
		state,
		clock,
		notifier,
		isClosed: () => flags.closed,
		persist: () => flags.persisted++,
	};
	const presence = new HostPresence({
		...parts,
		roomId: record.id,
		// The grace never runs out in these tests: the API is not reached.
		api: {} as ApiClient,
		log,
		hostGraceMs: 60_000,
		finish: () => undefined,
	});
	const members = new RoomMembership({
		...parts,
		host: presence,
		isEnding: () => flags.ending,
		joined: (userId, present) => joins.push([userId, present]),
		log,
	});
	const events: string[] = [];
	members.on('peerjoined', (peer) => events.push(`joined ${peer.user.handle}`));
	members.on('peerleft', (peer) => events.push(`left ${peer.user.handle}`));
	members.on('empty', () => events.push('empty'));

	return { host, listener, state, peers, flags, joins, events, members };
}

describe('RoomMembership', () => {
	test('a join adds the peer, stages the host muted, counts the arrival and persists', () => {
		const m = membership();
		const peer = m.members.join(m.host, false, new InboxChannel());
		m.members.join(m.listener, false, new InboxChannel());
		expect(m.peers.get(m.host.id)).toBe(peer);
		expect(m.state.stageEntry(m.host.id)?.muted).toBe(true);
		expect(m.state.isOnStage(m.listener.id)).toBe(false);
		expect(m.joins).toEqual([
			[m.host.id, 1],
			[m.listener.id, 2],
		]);
		expect(m.events).toEqual(['joined host', 'joined listener']);
		expect(m.flags.persisted).toBe(2);
	});

	test('a second connection of a user replaces the first, which is told and closed', () => {
		const m = membership();
		const first = new InboxChannel();
		const old = m.members.join(m.listener, false, first);
		const peer = m.members.join(m.listener, false, new InboxChannel());
		expect(first.received).toContain('session:closing');
		expect(first.closedWith).toBe(CloseCode.Replaced);
		expect(m.peers.get(m.listener.id)).toBe(peer);
		// The replaced connection's own leave changes nothing.
		m.members.leave(old, 'left');
		expect(m.peers.get(m.listener.id)).toBe(peer);
		expect(m.events).toEqual(['joined listener', 'joined listener']);
	});

	test('a banned user, a closing room and an ended room are refused', () => {
		const m = membership();
		m.state.ban(m.listener.id);
		expect(() => m.members.join(m.listener, false, new InboxChannel())).toThrow(BannedError);
		m.flags.closed = true;
		expect(() => m.members.join(m.host, false, new InboxChannel())).toThrow(UnavailableError);
		m.flags.ending = true;
		expect(() => m.members.join(m.host, false, new InboxChannel())).toThrow(RoomEndedError);
		expect(m.peers.size).toBe(0);
	});

	test('a speaker guest ticket newer than the record makes them a speaker guest', () => {
		const m = membership();
		m.members.join(m.listener, true, new InboxChannel());
		expect(m.state.isSpeakerGuest(m.listener.id)).toBe(true);
	});

	test('a stage member whose connection dropped keeps their seat; one who left loses it', () => {
		const m = membership();
		const speaker = user('speaker');
		m.members.join(m.host, false, new InboxChannel());
		const peer = m.members.join(speaker, false, new InboxChannel());
		m.state.invite(m.host.id, speaker.id);
		m.state.accept(speaker, 0);
		m.members.leave(peer, 'dropped');
		expect(m.state.isOnStage(speaker.id)).toBe(true);
		const back = m.members.join(speaker, false, new InboxChannel());
		m.members.leave(back, 'left');
		expect(m.state.isOnStage(speaker.id)).toBe(false);
		expect(m.events.filter((e) => e.startsWith('left'))).toEqual(['left speaker', 'left speaker']);
	});

	test('when the host leaves last the room waits for them instead of emptying', () => {
		const m = membership();
		const peer = m.members.join(m.host, false, new InboxChannel());
		m.members.leave(peer, 'left');
		expect(m.peers.size).toBe(0);
		expect(m.state.hostAwayUntil).not.toBeNull();
		expect(m.events).toEqual(['joined host', 'left host']);
	});
});
