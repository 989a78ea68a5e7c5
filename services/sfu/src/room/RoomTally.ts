import type { InternalRoomTally } from '@majlis/protocol';

/**
 * What a room's host analytics need, counted on its origin node while it runs and reported to the API
 * when it ends: the most people connected at once, the distinct people who came, the hands raised, and
 * each speaker's speaking time from the AudioLevelObserver (a span runs from the first report that
 * names them to the first that does not).
 */
export class RoomTally {
	readonly #people = new Set<string>();
	readonly #speakingMs = new Map<string, number>();
	readonly #speakingSince = new Map<string, number>();
	#peak = 0;
	#handRaises = 0;

	/** Someone connected; `present` is how many are connected now. */
	joined(userId: string, present: number): void {
		this.#people.add(userId);
		this.#peak = Math.max(this.#peak, present);
	}

	/** A hand went up (a raise while it is already up is not one). */
	handRaised(): void {
		this.#handRaises += 1;
	}

	/** The audio levels at `now` name these speakers (empty: silence). */
	speaking(userIds: readonly string[], now: number): void {
		const current = new Set(userIds);
		for (const [userId, since] of this.#speakingSince) {
			if (!current.has(userId)) {
				this.#close(userId, since, now);
			}
		}
		for (const userId of current) {
			if (!this.#speakingSince.has(userId)) {
				this.#speakingSince.set(userId, now);
			}
		}
	}

	/** The figures at `now` (spans still running count up to `now`). */
	summary(now: number): InternalRoomTally {
		const speakingMs = new Map(this.#speakingMs);
		for (const [userId, since] of this.#speakingSince) {
			speakingMs.set(userId, (speakingMs.get(userId) ?? 0) + Math.max(0, now - since));
		}

		return {
			peakListeners: this.#peak,
			uniqueListeners: this.#people.size,
			handRaises: this.#handRaises,
			speakers: [...speakingMs].map(([userId, ms]) => ({ userId, speakingMs: Math.round(ms) })),
		};
	}

	#close(userId: string, since: number, now: number): void {
		this.#speakingSince.delete(userId);
		this.#speakingMs.set(userId, (this.#speakingMs.get(userId) ?? 0) + Math.max(0, now - since));
	}
}
