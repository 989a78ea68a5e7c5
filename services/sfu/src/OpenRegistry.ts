/** What an {@link OpenRegistry} holds: something that says when it closes. */
export interface Closable {
	/** Registers a listener for the close. */
	once(event: 'close', listener: () => void): unknown;
}

/** How {@link OpenRegistry.open} treats an entry. */
export interface OpenOptions<T> {
	/** Whether the open value may serve this call; else a new one is opened in its place. Default yes. */
	reuse?: (current: T) => boolean;
	/** Runs once the value is registered, before callers get it (e.g. claiming it in the bus). */
	afterOpen?: (value: T) => Promise<void>;
}

/**
 * Values opened by key, once each: concurrent `open()` calls for a key share one opening, a failed
 * opening is forgotten (the next call tries again), and a value is forgotten when it closes. The
 * node's Rooms and its relays of other nodes' rooms are kept this way.
 */
export class OpenRegistry<T extends Closable> {
	// Opening or open, by key.
	readonly #entries = new Map<string, Promise<T>>();
	readonly #open = new Map<string, T>();

	/** The open values by key. */
	get openByKey(): ReadonlyMap<string, T> {
		return this.#open;
	}

	/** How many values are open. */
	get size(): number {
		return this.#open.size;
	}

	/** The open value of `key`. */
	get(key: string): T | undefined {
		return this.#open.get(key);
	}

	/** The open values. */
	values(): IterableIterator<T> {
		return this.#open.values();
	}

	/** The opening or open value of `key`, if there is one. */
	entry(key: string): Promise<T> | undefined {
		return this.#entries.get(key);
	}

	/** Every opening or open value (e.g. to close them all). */
	entries(): Promise<T>[] {
		return [...this.#entries.values()];
	}

	/** The value of `key`: the one opening or open (see {@link OpenOptions.reuse}), else `create()`'s. */
	open(key: string, create: () => Promise<T>, options: OpenOptions<T> = {}): Promise<T> {
		const existing = this.#entries.get(key);
		const current = existing && this.#open.get(key);
		if (existing && (!current || (options.reuse?.(current) ?? true))) {
			return existing;
		}
		const opening = create().then(async (value) => {
			if (this.#entries.get(key) === opening) {
				this.#open.set(key, value);
			}
			value.once('close', () => {
				if (this.#open.get(key) === value) {
					this.#open.delete(key);
					this.#entries.delete(key);
				}
			});
			await options.afterOpen?.(value);

			return value;
		});
		this.#entries.set(key, opening);
		opening.catch(() => {
			if (this.#entries.get(key) === opening) {
				this.#entries.delete(key);
			}
		});

		return opening;
	}
}
