import type { SelfState } from '@majlis/protocol';

/**
 * Keeps a raised hand across a reconnect: remembered when the connection drops, raised again once the
 * new session is connected if its snapshot lost it (and the person is not on stage by then).
 */
export class HandRestore {
	// Whether the hand was up when the connection dropped (over every attempt until one reconnects).
	#restore = false;
	// What the latest snapshot's session should restore once connected.
	#pending = false;

	/** The connection dropped; `handRaised` is whether the hand was up then. */
	dropped(handRaised: boolean): void {
		this.#restore = this.#restore || handRaised;
	}

	/** A session took its snapshot: it restores what was up when the connection dropped. */
	snapshot(): void {
		this.#pending = this.#restore;
	}

	/** Whether the connected session should raise the hand again, given the person's state in it. */
	shouldRaise(self: SelfState | undefined): boolean {
		return this.#pending && self !== undefined && !self.handRaised && !self.onStage;
	}

	/** Nothing to restore any more: reconnected, or the hand was lowered on purpose. */
	clear(): void {
		this.#restore = false;
	}
}
