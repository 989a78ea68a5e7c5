import { CloseCode } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { ApiClient } from '../ApiClient.js';
import { NotFoundError } from '../errors.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** What {@link RoomRemovals} takes from its Room. */
export interface RoomRemovalsDeps {
	/** Room id. */
	roomId: string;
	/** The connected peers; a removed one is taken out. */
	peers: Map<string, Peer>;
	/** The Room's live state (bans). */
	state: LiveState;
	/** Tells people who left. */
	notifier: RoomNotifier;
	/** Persists a ban. */
	api: Pick<ApiClient, 'ban'>;
	/** Whether the Room is closed. */
	isClosed: () => boolean;
	/** Throws when the Room is closed. */
	assertOpen: () => void;
	/** Writes the live state through to the bus. */
	persist: () => void;
	/** A removed peer left (the Room's `peerleft` event). */
	left: (peer: Peer) => void;
	/** The Room's logger. */
	log: Logger;
}

/** How people are made to leave a Room: removed by a moderator, banned through the API, signed out. */
export class RoomRemovals {
	readonly #deps: RoomRemovalsDeps;

	constructor(deps: RoomRemovalsDeps) {
		this.#deps = deps;
	}

	/** A moderator removes someone from the room: the ban is persisted through the API, then they go. */
	async removePeer(peer: Peer, targetId: string): Promise<void> {
		const { peers, state, notifier } = this.#deps;
		this.#deps.assertOpen();
		if (!peers.has(targetId)) {
			throw new NotFoundError('user is not in the room');
		}
		state.assertCanRemove(peer.id, targetId);
		// An anonymous listener (reach, issue 14; no handle) has no account to ban: they leave, and the
		// room refuses their one-off id.
		if (peers.get(targetId)?.user.handle !== '') {
			await this.#deps.api.ban(this.#deps.roomId, targetId, peer.id);
		}
		if (this.#deps.isClosed()) {
			return;
		}
		const departure = state.ban(targetId);
		const target = peers.get(targetId);
		if (target) {
			peers.delete(targetId);
			target.close(CloseCode.Removed, 'removed', () =>
				target.notify('session:closing', { reason: 'removed' })
			);
			this.#deps.left(target);
		}
		notifier.announceDeparture(targetId, departure);
		notifier.countChanged();
		this.#deps.persist();
		this.#deps.log.info({ userId: targetId, by: peer.id }, 'removePeer() | removed and banned');
	}

	/** Someone was banned through the API (by handle): the room bans them too, and they leave if here. */
	applyBan(userId: string): void {
		const { peers, state, notifier } = this.#deps;
		if (this.#deps.isClosed() || userId === state.hostId) {
			return;
		}
		const departure = state.ban(userId);
		const target = peers.get(userId);
		if (target) {
			peers.delete(userId);
			target.close(CloseCode.Removed, 'removed', () =>
				target.notify('session:closing', { reason: 'removed' })
			);
			this.#deps.left(target);
		}
		notifier.announceDeparture(userId, departure);
		notifier.countChanged();
		this.#deps.persist();
	}

	/** The user's sessions were revoked through the API: their socket here closes (they are not banned). */
	signOut(userId: string): void {
		const peer = this.#deps.peers.get(userId);
		if (!this.#deps.isClosed() && peer) {
			peer.close(CloseCode.Unauthorized, 'signed out');
		}
	}
}
