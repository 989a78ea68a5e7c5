import { REACTION_TICK_MS, REACTIONS, type Reaction, type ReactionCount } from '@majlis/protocol';
import type { Clock, Timer } from '../Clock.js';
import { RateLimitedError } from '../errors.js';
import type { LiveState } from './LiveState.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** Settings and dependencies of {@link RoomReactions}. */
export interface RoomReactionsDeps {
	/** Who is told what (one broadcast per tick). */
	notifier: RoomNotifier;
	/** The room's live state (whether a reaction's target is on stage). */
	state: LiveState;
	/** Time and the tick timer. */
	clock: Clock;
	/** The least time between two messages; default {@link REACTION_TICK_MS}. */
	tickMs?: number;
	/** How long the first reaction after a quiet spell waits for others to join its message; default 50. */
	gatherMs?: number;
	/** Reactions a person may send per second, sustained; default 4. */
	perSecond?: number;
	/** Reactions a person may send at once above the sustained rate; default 8. */
	burst?: number;
}

interface Bucket {
	tokens: number;
	at: number;
}

/**
 * The reactions of a live room: each one is counted into the current tick (per reaction, and per stage
 * member it is aimed at), and when the tick ends one `reactions` message goes to everyone, however many
 * people reacted (a tick ends a short gathering window after the first reaction, and never sooner than a
 * tick after the previous one) — so a thousand listeners reacting at once cost each socket at most 1000/tick messages
 * a second, not a thousand. Relay nodes receive the same one broadcast through their link. A token bucket
 * per person (not per socket: a second tab shares it) refuses bursts with `rate_limited`.
 */
export class RoomReactions {
	readonly #deps: RoomReactionsDeps;
	readonly #tickMs: number;
	readonly #gatherMs: number;
	readonly #perSecond: number;
	readonly #burst: number;
	readonly #buckets = new Map<string, Bucket>();
	#counts = new Map<Reaction, number>();
	#aimed = new Map<string, Map<Reaction, number>>();
	#timer: Timer | undefined;
	#lastFlush = Number.NEGATIVE_INFINITY;
	#closed = false;

	/** The reactions of one room. */
	constructor(deps: RoomReactionsDeps) {
		this.#deps = deps;
		this.#tickMs = deps.tickMs ?? REACTION_TICK_MS;
		this.#gatherMs = Math.min(this.#tickMs, deps.gatherMs ?? 50);
		this.#perSecond = deps.perSecond ?? 4;
		this.#burst = deps.burst ?? 8;
	}

	/** Counts one reaction of `userId` (aimed at stage member `to`, if on stage) into the current tick. */
	add(userId: string, reaction: Reaction, to?: string): void {
		if (this.#closed) {
			return;
		}
		if (!this.#take(userId)) {
			throw new RateLimitedError('too many reactions; wait a moment');
		}
		this.#counts.set(reaction, (this.#counts.get(reaction) ?? 0) + 1);
		if (to !== undefined && this.#deps.state.isOnStage(to)) {
			let counts = this.#aimed.get(to);
			if (!counts) {
				counts = new Map();
				this.#aimed.set(to, counts);
			}
			counts.set(reaction, (counts.get(reaction) ?? 0) + 1);
		}
		// One message per tick at most, but no waiting out a tick that is already over: in a quiet room a
		// reaction goes out after a short gathering window (so a burst still makes one message), in a busy
		// room with the next tick.
		this.#timer ??= this.#deps.clock.setTimeout(
			() => this.#flush(),
			Math.max(this.#gatherMs, this.#lastFlush + this.#tickMs - this.#deps.clock.now())
		);
	}

	/** Someone left: their bucket goes (a rejoin starts full, which the socket limit still bounds). */
	forget(userId: string): void {
		this.#buckets.delete(userId);
	}

	/** Stops the tick; nothing is sent after this. */
	close(): void {
		this.#closed = true;
		this.#timer?.cancel();
		this.#timer = undefined;
	}

	#take(userId: string): boolean {
		const now = this.#deps.clock.now();
		const bucket = this.#buckets.get(userId) ?? { tokens: this.#burst, at: now };
		bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond);
		bucket.at = now;
		this.#buckets.set(userId, bucket);
		if (bucket.tokens < 1) {
			return false;
		}
		bucket.tokens -= 1;

		return true;
	}

	#flush(): void {
		this.#timer = undefined;
		if (this.#closed || this.#counts.size === 0) {
			return;
		}
		const counts = ordered(this.#counts);
		const aimed = [...this.#aimed].map(([userId, byReaction]) => ({ userId, counts: ordered(byReaction) }));
		this.#counts = new Map();
		this.#aimed = new Map();
		this.#lastFlush = this.#deps.clock.now();
		this.#deps.notifier.broadcast('reactions', { counts, aimed });
	}
}

function ordered(counts: ReadonlyMap<Reaction, number>): ReactionCount[] {
	return REACTIONS.flatMap((reaction) => {
		const count = counts.get(reaction);

		return count ? [{ reaction, count }] : [];
	});
}
