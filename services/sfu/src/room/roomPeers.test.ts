import { randomUUID } from 'node:crypto';
import type { UserSummary } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { liveRecord } from '../../test/support/liveRecord.js';
import type { PeerChannel } from './contracts.js';
import { LiveState } from './LiveState.js';
import { Peer } from './Peer.js';
import { listenerPage } from './roomPeers.js';

const silent: PeerChannel = { notify() {}, close() {} };

function user(i: number): UserSummary {
	return { id: randomUUID(), handle: `u${i}`, displayName: `User ${i}` };
}

// The Room's map: people in order of arrival, a rejoin deleted then added at the end.
function room(count: number) {
	const host = user(0);
	const record = liveRecord(host.id, { title: 'Big room' });
	const state = LiveState.open(record, null, 0);
	const peers = new Map<string, Peer>();
	const people = [host, ...Array.from({ length: count }, (_, i) => user(i + 1))];
	people.forEach((u, i) => {
		peers.set(u.id, new Peer(u, silent, i));
		state.autoStage(u, i);
	});

	return { state, peers, people };
}

describe('listenerPage', () => {
	test('pages in order of arrival, leaving the stage out, with the total of listeners', () => {
		const { state, peers, people } = room(10);
		state.invite(people[0]!.id, people[3]!.id);
		state.accept(people[3]!, 100);
		const page = listenerPage(peers, state, 2, 3);
		expect(page.total).toBe(9);
		expect(page.items.map((l) => l.handle)).toEqual(['u4', 'u5', 'u6']);
		expect(listenerPage(peers, state, 8, 5).items.map((l) => l.handle)).toEqual(['u10']);
		expect(listenerPage(peers, state, 20, 5)).toEqual({ items: [], total: 9 });
	});

	test('a rejoin moves to the end, as its new arrival time says', () => {
		const { state, peers, people } = room(3);
		const first = people[1]!;
		peers.delete(first.id);
		peers.set(first.id, new Peer(first, silent, 50));
		expect(listenerPage(peers, state, 0, 10).items.map((l) => l.handle)).toEqual(['u2', 'u3', 'u1']);
	});

	test('the first page of a 100,000-listener room does not walk or sort the room', () => {
		const { state, peers } = room(100_000);
		const started = performance.now();
		for (let i = 0; i < 1000; i++) {
			listenerPage(peers, state, 0, 50);
		}
		const perCall = (performance.now() - started) / 1000;
		// A sort of 100,000 peers takes tens of milliseconds; a first page is microseconds.
		expect(perCall).toBeLessThan(1);
	});
});
