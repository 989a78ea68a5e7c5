/** Listener signatures by event name. */
export type EventMap = { [event: string]: (...args: never[]) => void };

/**
 * A small typed event emitter. Every listener runs even when an earlier one throws (like mediasoup's
 * `safeEmit`): one broken subscriber must not starve the others of room updates.
 */
export class Emitter<E extends EventMap> {
	readonly #listeners = new Map<keyof E, Set<E[keyof E]>>();

	/** Calls `listener` on every `event`; returns a function that stops it. */
	on<K extends keyof E>(event: K, listener: E[K]): () => void {
		let set = this.#listeners.get(event);
		if (!set) {
			set = new Set();
			this.#listeners.set(event, set);
		}
		set.add(listener);

		return () => {
			set.delete(listener);
		};
	}

	/** Calls every listener of `event` with `args`. */
	protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
		for (const listener of [...(this.#listeners.get(event) ?? [])]) {
			try {
				(listener as (...a: Parameters<E[K]>) => void)(...args);
			} catch (error) {
				console.error(`Emitter | listener of "${String(event)}" threw`, error);
			}
		}
	}
}
