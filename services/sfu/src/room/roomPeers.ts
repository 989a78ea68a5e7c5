import type { Listener } from '@majlis/protocol';
import type { types } from 'mediasoup';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomMedia } from './RoomMedia.js';

// What a Room reads from its connected peers (counts, microphones, pages, placement), and the one thing
// it does to all of them when an edge router is lost.

/** Producers (live microphones) across the peers. */
export function countProducers(peers: ReadonlyMap<string, Peer>): number {
	let n = 0;
	for (const peer of peers.values()) {
		n += peer.producer ? 1 : 0;
	}

	return n;
}

/** Consumers across the peers. */
export function countConsumers(peers: ReadonlyMap<string, Peer>): number {
	let n = 0;
	for (const peer of peers.values()) {
		n += peer.consumers.size;
	}

	return n;
}

/** The peers' live microphones. */
export function liveProducers(peers: ReadonlyMap<string, Peer>): types.Producer[] {
	return [...peers.values()].flatMap((peer) =>
		peer.producer && !peer.producer.closed ? [peer.producer] : []
	);
}

/** Where each peer's receive transport lives: the worker (pid) and whether it is an edge router. */
export function receivePlacement(
	peers: ReadonlyMap<string, Peer>,
	media: RoomMedia
): { userId: string; workerPid: number | undefined; edge: boolean }[] {
	return [...peers.values()].flatMap((peer) => {
		const placement = media.placement(peer);

		return placement ? [{ userId: peer.id, ...placement }] : [];
	});
}

/**
 * A page of the peers not on stage, in order of arrival. `peers` is already in that order: the Room
 * adds each new connection at the end (deleting a replaced one first). So a page walks the map up to
 * `offset + limit` and the total comes from the stage's size, with no sort or copy of a large room
 * (finding 8 of the security review: this ran on every `listeners:list`).
 */
export function listenerPage(
	peers: ReadonlyMap<string, Peer>,
	state: LiveState,
	offset: number,
	limit: number
): { items: Listener[]; total: number } {
	let staged = 0;
	for (const entry of state.stage()) {
		if (peers.has(entry.user.id)) {
			staged++;
		}
	}
	const items: Listener[] = [];
	let skipped = 0;
	for (const peer of peers.values()) {
		if (items.length >= limit) {
			break;
		}
		if (state.isOnStage(peer.id)) {
			continue;
		}
		if (skipped < offset) {
			skipped++;
			continue;
		}
		items.push({ ...peer.user, role: state.roleOf(peer.id) });
	}

	return { items, total: peers.size - staged };
}

/** An edge router's worker died: its listeners reconnect through the API (the room itself lives on). */
export function moveAwayFrom(
	peers: ReadonlyMap<string, Peer>,
	wasOn: (transport: NonNullable<Peer['recvTransport']>) => boolean
): void {
	for (const peer of [...peers.values()]) {
		const transport = peer.recvTransport;
		if (transport && wasOn(transport)) {
			peer.moveAway();
		}
	}
}
