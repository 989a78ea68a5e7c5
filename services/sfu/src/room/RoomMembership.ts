import { CloseCode, type UserSummary } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { Clock } from '../Clock.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import { BannedError, RoomEndedError, UnavailableError } from '../errors.js';
import type { HostPresence } from './HostPresence.js';
import type { LiveState } from './LiveState.js';
import { Peer, type PeerChannel } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** What {@link RoomMembership} takes from its Room. */
export interface RoomMembershipDeps {
	/** The connected peers, by user id; joining and leaving change it. */
	peers: Map<string, Peer>;
	/** The Room's live state (bans, guests, the stage). */
	state: LiveState;
	/** Time. */
	clock: Clock;
	/** Tells the others who came and went. */
	notifier: RoomNotifier;
	/** The host's grace and the seats held for dropped stage members. */
	host: HostPresence;
	/** Whether the Room is closed. */
	isClosed: () => boolean;
	/** Whether the Room is ending (then a join is refused for good, not to be retried). */
	isEnding: () => boolean;
	/** Someone joined; `present` is how many are connected now (the Room's features count it). */
	joined: (userId: string, present: number) => void;
	/** Writes the live state through to the bus. */
	persist: () => void;
	/** The Room's logger. */
	log: Logger;
}

/** Events of a {@link RoomMembership}. */
export type RoomMembershipEvents = {
	/** A connection joined (possibly replacing an earlier one of the same user). */
	peerjoined: [Peer];
	/** A connection left. */
	peerleft: [Peer];
	/** The last connection left and no host is awaited: the room may close as idle. */
	empty: [];
};

/**
 * Who is connected to a Room: a join (replacing the same user's earlier connection) and a leave, with
 * what each changes for the others (the stage, the host's grace, held seats, the listener count).
 */
export class RoomMembership extends EnhancedEventEmitter<RoomMembershipEvents> {
	readonly #deps: RoomMembershipDeps;

	constructor(deps: RoomMembershipDeps) {
		super(deps.log);
		this.#deps = deps;
	}

	/**
	 * Adds a connection. A second connection of the same user replaces the first (closed with
	 * `Replaced`); their stage place, mute and hand carry over. Host and co-hosts come on stage muted.
	 * Runs synchronously so the snapshot and the deltas that follow it are consistent.
	 */
	join(user: UserSummary, speakerGuest: boolean, channel: PeerChannel): Peer {
		const { peers, state, notifier, host } = this.#deps;
		if (this.#deps.isClosed()) {
			throw this.#deps.isEnding()
				? new RoomEndedError('the room has ended')
				: new UnavailableError('room is closing; retry');
		}
		if (state.isBanned(user.id)) {
			throw new BannedError('you were removed from this room');
		}
		const now = this.#deps.clock.now();
		if (speakerGuest && !state.isSpeakerGuest(user.id)) {
			// The ticket is newer than the record read when the room opened.
			state.setGuest(user.id, 'speaker');
		}
		host.releaseSeat(user.id);
		const previous = peers.get(user.id);
		if (previous) {
			peers.delete(user.id);
			previous.close(CloseCode.Replaced, 'replaced', () =>
				previous.notify('session:closing', { reason: 'replaced' })
			);
			// Their microphone went with the old connection.
			notifier.broadcastMember(user.id);
		}
		// Deltas caused by this join go to the others now; the newcomer gets them in the snapshot.
		const staged = state.autoStage(user, now);
		if (staged) {
			notifier.broadcast('stage:member', notifier.member(staged));
		}
		host.check(user.id);
		const peer = new Peer(user, channel, now);
		peers.set(user.id, peer);
		this.#deps.joined(user.id, peers.size);
		notifier.countChanged();
		this.#deps.persist();
		this.#deps.log.info({ userId: user.id, replaced: Boolean(previous) }, 'join() | peer joined');
		this.safeEmit('peerjoined', peer);

		return peer;
	}

	/**
	 * A connection ended (socket closed or `session:leave`). A replaced connection changes nothing. Others
	 * lose their stage place and hand; the host keeps theirs during the grace period. A stage member whose
	 * connection `dropped` (no `session:leave`) keeps their seat and mute state for the rejoin grace, so a
	 * network change or a dead worker does not send them back to the audience.
	 */
	leave(peer: Peer, how: 'left' | 'dropped'): void {
		const { peers, state, notifier, host } = this.#deps;
		peer.close(1000, 'left');
		if (this.#deps.isClosed() || peers.get(peer.id) !== peer) {
			return;
		}
		peers.delete(peer.id);
		if (peer.id !== state.hostId) {
			if (how === 'dropped' && state.isOnStage(peer.id)) {
				host.holdSeat(peer.id);
				// Their microphone went with the connection.
				notifier.broadcastMember(peer.id);
			} else {
				notifier.announceDeparture(peer.id, state.forget(peer.id));
			}
		}
		host.check();
		notifier.countChanged();
		this.#deps.persist();
		this.#deps.log.info({ userId: peer.id }, 'leave() | peer left');
		this.safeEmit('peerleft', peer);
		if (peers.size === 0 && !host.waiting) {
			this.safeEmit('empty');
		}
	}
}
