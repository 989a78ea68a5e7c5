import type { Bus, BusHandler } from './Bus.js';

type Entry = { value: string | Map<string, string>; expiresAt: number | null };

/** In-process {@link Bus} for the embedded single-process mode and for tests of one process. */
export class MemoryBus implements Bus {
	/** Always `memory`. */
	readonly kind = 'memory' as const;
	/** Always true: it lives in this process. */
	readonly connected = true;
	readonly #data = new Map<string, Entry>();
	readonly #channels = new Map<string, Set<BusHandler>>();
	readonly #now: () => number;
	#closed = false;

	/** `now` is injectable so expiry can be tested without waiting. */
	constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	#live(key: string): Entry | undefined {
		const entry = this.#data.get(key);
		if (entry && entry.expiresAt !== null && entry.expiresAt <= this.#now()) {
			this.#data.delete(key);

			return undefined;
		}

		return entry;
	}

	#hash(key: string, create: boolean): Map<string, string> | undefined {
		const entry = this.#live(key);
		if (entry) {
			if (typeof entry.value === 'string') {
				throw new TypeError(`WRONGTYPE key ${key} holds a string`);
			}

			return entry.value;
		}
		if (!create) {
			return undefined;
		}
		const map = new Map<string, string>();
		this.#data.set(key, { value: map, expiresAt: null });

		return map;
	}

	async publish(channel: string, message: string): Promise<void> {
		const handlers = this.#channels.get(channel);
		if (!handlers) {
			return;
		}
		// Deliver asynchronously, like Redis, so publishers never run subscriber code inline.
		for (const handler of [...handlers]) {
			queueMicrotask(() => handler(message));
		}
	}

	async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
		let handlers = this.#channels.get(channel);
		if (!handlers) {
			handlers = new Set();
			this.#channels.set(channel, handlers);
		}
		handlers.add(handler);

		return async () => {
			handlers.delete(handler);
		};
	}

	async get(key: string): Promise<string | null> {
		const entry = this.#live(key);
		if (!entry) {
			return null;
		}
		if (typeof entry.value !== 'string') {
			throw new TypeError(`WRONGTYPE key ${key} holds a hash`);
		}

		return entry.value;
	}

	async set(key: string, value: string, ttlMs?: number): Promise<void> {
		this.#data.set(key, { value, expiresAt: ttlMs ? this.#now() + ttlMs : null });
	}

	async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
		if (this.#live(key)) {
			return false;
		}
		await this.set(key, value, ttlMs);

		return true;
	}

	async del(...keys: string[]): Promise<void> {
		for (const key of keys) {
			this.#data.delete(key);
		}
	}

	async expire(key: string, ttlMs: number): Promise<void> {
		const entry = this.#live(key);
		if (entry) {
			entry.expiresAt = this.#now() + ttlMs;
		}
	}

	async hget(key: string, field: string): Promise<string | null> {
		return this.#hash(key, false)?.get(field) ?? null;
	}

	async hset(key: string, fields: Record<string, string>): Promise<void> {
		const hash = this.#hash(key, true)!;
		for (const [field, value] of Object.entries(fields)) {
			hash.set(field, value);
		}
	}

	async hdel(key: string, ...fields: string[]): Promise<void> {
		const hash = this.#hash(key, false);
		if (!hash) {
			return;
		}
		for (const field of fields) {
			hash.delete(field);
		}
		// Redis deletes a hash whose last field is removed.
		if (hash.size === 0) {
			this.#data.delete(key);
		}
	}

	async hgetall(key: string): Promise<Record<string, string>> {
		const hash = this.#hash(key, false);
		// A null-prototype object, so field names such as __proto__ stay plain data.
		const out: Record<string, string> = Object.create(null);
		for (const [field, value] of hash ?? []) {
			out[field] = value;
		}

		return out;
	}

	async incr(key: string, by = 1): Promise<number> {
		const current = await this.get(key);
		const next = (current === null ? 0 : Number.parseInt(current, 10)) + by;
		const entry = this.#live(key);
		this.#data.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? null });

		return next;
	}

	onResubscribed(_listener: () => void): () => void {
		// Nothing is ever lost in-process.
		return () => {};
	}

	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		this.#channels.clear();
	}
}
