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

/** A page of the peers not on stage, in order of arrival. */
export function listenerPage(
	peers: ReadonlyMap<string, Peer>,
	state: LiveState,
	offset: number,
	limit: number
): { items: Listener[]; total: number } {
	const all = [...peers.values()]
		.filter((p) => !state.isOnStage(p.id))
		.sort((a, b) => a.joinedAt - b.joinedAt);

	return {
		items: all.slice(offset, offset + limit).map((p) => ({ ...p.user, role: state.roleOf(p.id) })),
		total: all.length,
	};
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
