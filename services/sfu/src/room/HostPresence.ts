import { Role } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { ApiClient } from '../ApiClient.js';
import type { Clock, Timer } from '../Clock.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';
import { DEFAULT_REJOIN_GRACE_MS } from './RoomTypes.js';

/** How long a co-host takeover waits before trying again when the API refused or failed it. */
export const TAKEOVER_RETRY_MS = 5000;

/** What {@link HostPresence} needs of its room. */
export interface HostPresenceDeps {
	/** Room id (the API's). */
	roomId: string;
	/** The room's connections, by user id (owned by the Room). */
	peers: ReadonlyMap<string, Peer>;
	/** The room's live state. */
	state: LiveState;
	/** Who is told what. */
	notifier: RoomNotifier;
	/** Internal REST client of the API (host change, end). */
	api: ApiClient;
	/** Time and timers. */
	clock: Clock;
	/** The room's logger. */
	log: Logger;
	/** How long a disconnected host keeps the room before a co-host takes over or it ends. */
	hostGraceMs: number;
	/** How long a dropped stage member keeps their seat; default {@link DEFAULT_REJOIN_GRACE_MS}. */
	rejoinGraceMs?: number;
	/** Whether the room closed. */
	isClosed(): boolean;
	/** Writes the live state through to the bus. */
	persist(): void;
	/** Ends the room for everyone (no co-host was there to take over). */
	finish(reason: 'no-host'): void;
}

/**
 * Who is expected back, and for how long: the host's grace period and the succession after it (the
 * longest-serving co-host present becomes host, else the room ends), stage seats held for members whose
 * connection dropped, and people restored from a previous node's state who must reconnect in time.
 */
export class HostPresence {
	readonly #deps: HostPresenceDeps;
	#hostTimer: Timer | undefined;
	#pruneTimer: Timer | undefined;
	// Stage seats held for members whose connection dropped, until they rejoin or the grace ends.
	readonly #heldSeats = new Map<string, Timer>();

	/** Watches the host of one room. */
	constructor(deps: HostPresenceDeps) {
		this.#deps = deps;
	}

	/** Whether the room is waiting for its host (it then stays open with nobody in it). */
	get waiting(): boolean {
		return this.#hostTimer !== undefined;
	}

	/**
	 * Starts the grace period when the host is absent, ends it when they are back. `joining` counts as
	 * present (it is not among the peers yet).
	 */
	check(joining?: string): void {
		const { state, notifier, clock } = this.#deps;
		const hostId = state.hostId;
		const present = this.#deps.peers.has(hostId) || joining === hostId;
		if (present) {
			if (this.#hostTimer || state.hostAwayUntil !== null) {
				this.#hostTimer?.cancel();
				this.#hostTimer = undefined;
				state.setHostAway(null);
				notifier.broadcast('host:changed', { userId: hostId });
			}

			return;
		}
		if (this.#hostTimer) {
			return;
		}
		const now = clock.now();
		const until = state.hostAwayUntil ?? now + this.#deps.hostGraceMs;
		state.setHostAway(until);
		this.#hostTimer = clock.setTimeout(
			() => {
				this.#graceOver().catch((error: unknown) =>
					this.#deps.log.error({ err: error }, 'hostGraceOver() | failed')
				);
			},
			Math.max(0, until - now)
		);
		notifier.broadcast('host:away', { until });
		this.#deps.log.info({ until }, 'checkHost() | host away, grace period started');
	}

	/** The API appointed another host: a grace period of the former one no longer applies. */
	hostChanged(formerHost: string): void {
		this.#hostTimer?.cancel();
		this.#hostTimer = undefined;
		this.#deps.notifier.broadcast('host:changed', { userId: this.#deps.state.hostId });
		this.#deps.notifier.refreshUser(formerHost);
		this.check();
	}

	/** Keeps a dropped stage member's seat for the rejoin grace. */
	holdSeat(userId: string): void {
		this.#heldSeats.get(userId)?.cancel();
		const timer = this.#deps.clock.setTimeout(() => {
			if (this.#heldSeats.get(userId) !== timer) {
				return;
			}
			this.#heldSeats.delete(userId);
			const { state, notifier } = this.#deps;
			if (this.#deps.isClosed() || this.#deps.peers.has(userId) || userId === state.hostId) {
				return;
			}
			notifier.announceDeparture(userId, state.forget(userId));
			notifier.countChanged();
			this.#deps.persist();
			this.#deps.log.info({ userId }, 'holdSeat() | not back in time, seat released');
		}, this.#deps.rejoinGraceMs ?? DEFAULT_REJOIN_GRACE_MS);
		this.#heldSeats.set(userId, timer);
	}

	/** The user is back: their held seat (if any) is theirs again. */
	releaseSeat(userId: string): void {
		this.#heldSeats.get(userId)?.cancel();
		this.#heldSeats.delete(userId);
	}

	/** People restored from the bus have until the host grace ends to reconnect. */
	pruneAbsentLater(): void {
		this.#pruneTimer = this.#deps.clock.setTimeout(() => this.#pruneAbsent(), this.#deps.hostGraceMs);
	}

	/** Cancels every timer (the room closed). */
	close(): void {
		this.#hostTimer?.cancel();
		this.#pruneTimer?.cancel();
		for (const timer of this.#heldSeats.values()) {
			timer.cancel();
		}
		this.#heldSeats.clear();
	}

	async #graceOver(): Promise<void> {
		this.#hostTimer = undefined;
		const { state, notifier, peers, api, clock, log } = this.#deps;
		if (this.#deps.isClosed() || peers.has(state.hostId)) {
			return;
		}
		const successor = state.pickSuccessor((id) => peers.has(id));
		if (!successor) {
			log.info('hostGraceOver() | no co-host present, ending the room');
			await api
				.end(this.#deps.roomId, null)
				.catch((error: unknown) => log.error({ err: error }, 'hostGraceOver() | API end failed'));
			this.#deps.finish('no-host');

			return;
		}
		try {
			await api.setHost(this.#deps.roomId, successor);
		} catch (error) {
			// The API's record is the truth: taking over without it would give the room two hosts (finding
			// 13 of the security review). The host stays away and the takeover is tried again.
			log.error({ err: error, successor }, 'hostGraceOver() | API host change failed; retrying');
			if (!this.#deps.isClosed() && !peers.has(state.hostId) && !this.#hostTimer) {
				this.#hostTimer = clock.setTimeout(() => {
					this.#graceOver().catch((e: unknown) => log.error({ err: e }, 'hostGraceOver() | failed'));
				}, TAKEOVER_RETRY_MS);
			}

			return;
		}
		if (this.#deps.isClosed() || peers.has(state.hostId)) {
			return;
		}
		const former = state.transferHost(successor);
		// As in the API's record: the former host takes the new host's co-host seat.
		state.setAppointment(former, Role.Cohost, clock.now());
		notifier.announceDeparture(former, state.forget(former));
		const peer = peers.get(successor);
		if (peer) {
			state.autoStage(peer.user, clock.now());
		}
		notifier.broadcast('host:changed', { userId: successor });
		notifier.refreshUser(successor);
		notifier.countChanged();
		this.#deps.persist();
		log.info({ former, successor }, 'hostGraceOver() | co-host took over');
		// The new host might have left while the API answered.
		this.check();
	}

	// People restored from a previous node's state who did not come back in time lose their place.
	#pruneAbsent(): void {
		this.#pruneTimer = undefined;
		const { state, notifier, peers } = this.#deps;
		if (this.#deps.isClosed()) {
			return;
		}
		const absent = new Set<string>();
		for (const entry of state.stage()) {
			absent.add(entry.user.id);
		}
		for (const hand of state.hands()) {
			absent.add(hand.user.id);
		}
		let changed = false;
		for (const userId of absent) {
			if (!peers.has(userId) && userId !== state.hostId) {
				notifier.announceDeparture(userId, state.forget(userId));
				changed = true;
			}
		}
		if (changed) {
			notifier.countChanged();
			this.#deps.persist();
		}
	}
}
