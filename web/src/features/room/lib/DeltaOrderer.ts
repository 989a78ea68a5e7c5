import type { ServerNotification } from '@majlis/protocol';
import { ROOM_DELTAS } from './roomState';

/**
 * Puts notifications in the order the room state needs. Before the snapshot arrives (the `session:join`
 * reply) everything is held; when it arrives, deltas it already includes (`seq` ≤ snapshot's) are
 * dropped and the rest are delivered sorted by `seq`. After that one socket keeps order by itself, so
 * frames pass straight through, except stale deltas from before the snapshot.
 */
export class DeltaOrderer {
	readonly #deliver: (notification: ServerNotification) => void;
	#early: ServerNotification[] = [];
	#snapshotSeq: number | null = null;

	constructor(deliver: (notification: ServerNotification) => void) {
		this.#deliver = deliver;
	}

	/** Whether the snapshot has been applied. */
	get started(): boolean {
		return this.#snapshotSeq !== null;
	}

	/** Number of notifications held until the snapshot. */
	get held(): number {
		return this.#early.length;
	}

	/** Call right after applying a snapshot taken at `seq`: delivers what was held, in `seq` order. */
	start(seq: number): void {
		this.#snapshotSeq = seq;
		const early = this.#early.map((n, index) => ({ n, index }));
		this.#early = [];
		early.sort((a, b) => a.n.seq - b.n.seq || a.index - b.index);
		for (const { n } of early) {
			this.push(n);
		}
	}

	/** Takes one notification off the socket. */
	push(notification: ServerNotification): void {
		if (this.#snapshotSeq === null) {
			this.#early.push(notification);

			return;
		}
		if (ROOM_DELTAS.has(notification.type) && notification.seq <= this.#snapshotSeq) {
			return;
		}
		this.#deliver(notification);
	}

	/** Forgets everything for a new session. */
	reset(): void {
		this.#early = [];
		this.#snapshotSeq = null;
	}
}
