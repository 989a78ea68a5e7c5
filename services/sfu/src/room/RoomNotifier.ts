import {
	canModerate,
	type NotificationData,
	type NotificationType,
	roomPresenceKey,
	type SelfState,
	type Snapshot,
	type StageMember,
} from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import type { Clock } from '../Clock.js';
import { type Throttled, throttle } from '../throttle.js';
import type { Departure, LiveState, StageEntry } from './LiveState.js';
import type { Peer } from './Peer.js';
import { PRESENCE_TTL_MS } from './RoomTypes.js';

/** What a {@link RoomNotifier} reads and writes. */
export interface RoomNotifierDeps {
	/** Room id (the presence key). */
	roomId: string;
	/** The room's connections, by user id (owned by the Room). */
	peers: ReadonlyMap<string, Peer>;
	/** The room's live state. */
	state: LiveState;
	/** Bus, for the presence count. */
	bus: Bus;
	/** Time and timers (the throttles). */
	clock: Clock;
	/** The room's logger. */
	log: Logger;
	/** Minimum interval between `stage:speaking` notifications; default 300 ms. */
	speakingIntervalMs?: number;
	/** Minimum interval between `listeners:count` notifications and presence writes; default 1 s. */
	countIntervalMs?: number;
}

/**
 * Who in a room is told what: broadcasts, moderator-only notices, each person's own state, the join
 * snapshot, and the batched (throttled) `listeners:count` and `stage:speaking` with the presence count
 * in the bus. It reads the live state and the connections; it changes neither.
 */
export class RoomNotifier {
	readonly #deps: RoomNotifierDeps;
	readonly #throttledCount: Throttled;
	readonly #throttledSpeaking: Throttled;
	#speaking: string[] = [];
	#sentSpeaking = '';
	#sentCount = -1;
	#closed = false;

	/** Creates the notifier of one room. */
	constructor(deps: RoomNotifierDeps) {
		this.#deps = deps;
		this.#throttledCount = throttle(() => this.#sendCount(), deps.countIntervalMs ?? 1000, deps.clock);
		this.#throttledSpeaking = throttle(
			() => this.#sendSpeaking(),
			deps.speakingIntervalMs ?? 300,
			deps.clock
		);
	}

	/** Tells everyone connected. */
	broadcast<T extends NotificationType>(type: T, data: NotificationData<T>): void {
		for (const peer of this.#deps.peers.values()) {
			peer.notify(type, data);
		}
	}

	/** Tells the moderators connected (host, co-hosts, moderators). */
	toModerators<T extends NotificationType>(type: T, data: NotificationData<T>): void {
		for (const peer of this.#deps.peers.values()) {
			if (canModerate(this.#deps.state.roleOf(peer.id))) {
				peer.notify(type, data);
			}
		}
	}

	/** A stage entry as clients see it. */
	member(entry: StageEntry): StageMember {
		const producer = this.#deps.peers.get(entry.user.id)?.producer;

		return {
			userId: entry.user.id,
			handle: entry.user.handle,
			displayName: entry.user.displayName,
			role: this.#deps.state.roleOf(entry.user.id),
			muted: entry.muted,
			hasAudio: Boolean(producer && !producer.closed),
			since: entry.since,
		};
	}

	/** Tells everyone a stage member's entry (no-op for someone not on stage). */
	broadcastMember(userId: string): void {
		const entry = this.#deps.state.stageEntry(userId);
		if (entry) {
			this.broadcast('stage:member', this.member(entry));
		}
	}

	/** Tells a user their own state (role, stage, mute, hand, invitation). */
	sendSelf(userId: string): void {
		this.#deps.peers.get(userId)?.notify('self:state', this.#selfState(userId));
	}

	/** A user's role or stage place changed: their stage entry (if any) and own state. */
	refreshUser(userId: string): void {
		this.broadcastMember(userId);
		this.sendSelf(userId);
	}

	/** Someone left the stage or lost their hand (they left, were removed, or did not come back). */
	announceDeparture(userId: string, departure: Departure): void {
		if (departure.leftStage) {
			this.broadcast('stage:left', { userId });
		}
		if (departure.handLowered) {
			this.toModerators('hand:lowered', { userId });
		}
	}

	/** The full state for a user who joins (hands only for moderators). */
	snapshot(userId: string): Omit<Snapshot, 'seq'> {
		const { state } = this.#deps;
		const self = this.#selfState(userId);

		return {
			room: state.info,
			self,
			stage: state.stage().map((entry) => this.member(entry)),
			listenerCount: this.#listenerCount(),
			...(canModerate(self.role) ? { hands: [...state.hands()] } : {}),
			hostAwayUntil: state.hostAwayUntil,
		};
	}

	/** The number of listeners may have changed: `listeners:count` and the presence count, throttled. */
	countChanged(): void {
		this.#throttledCount();
	}

	/** The AudioLevelObserver's loudest producers changed (user ids); `stage:speaking`, throttled. */
	speakingChanged(userIds: string[]): void {
		this.#speaking = userIds;
		this.#throttledSpeaking();
	}

	/**
	 * Writes the listener count (connected, not on stage) to the bus for the API's `listenerCount`, so
	 * room cards show the same number as the room itself (also refreshed by the heartbeat).
	 */
	refreshPresence(): void {
		if (this.#closed) {
			return;
		}
		this.#deps.bus
			.set(roomPresenceKey(this.#deps.roomId), String(this.#listenerCount()), PRESENCE_TTL_MS)
			.catch((error: unknown) => this.#deps.log.warn({ err: error }, 'refreshPresence() | bus write failed'));
	}

	/** Stops the throttles; nothing batched is sent after this. */
	close(): void {
		this.#closed = true;
		this.#throttledCount.cancel();
		this.#throttledSpeaking.cancel();
	}

	#selfState(userId: string): SelfState {
		const { state } = this.#deps;
		const entry = state.stageEntry(userId);

		return {
			userId,
			role: state.roleOf(userId),
			onStage: Boolean(entry),
			muted: entry?.muted ?? true,
			handRaised: state.hasHand(userId),
			invited: state.isInvited(userId),
		};
	}

	#listenerCount(): number {
		let n = 0;
		for (const peer of this.#deps.peers.values()) {
			n += this.#deps.state.isOnStage(peer.id) ? 0 : 1;
		}

		return n;
	}

	#sendCount(): void {
		if (this.#closed) {
			return;
		}
		const count = this.#listenerCount();
		if (count !== this.#sentCount) {
			this.#sentCount = count;
			this.broadcast('listeners:count', { count });
		}
		this.refreshPresence();
	}

	#sendSpeaking(): void {
		if (this.#closed) {
			return;
		}
		// Only people on stage and unmuted can be speaking (a paused producer may still report a last level).
		const userIds = this.#speaking.filter((id) => this.#deps.state.stageEntry(id)?.muted === false);
		const key = userIds.join(',');
		if (key !== this.#sentSpeaking) {
			this.#sentSpeaking = key;
			this.broadcast('stage:speaking', { userIds });
		}
	}
}
