import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Bus, BusHandler } from './Bus.js';

/** {@link Bus} on Redis: one connection for commands, one for subscriptions (Redis requires it). */
export class RedisBus implements Bus {
	/** Always `redis`. */
	readonly kind = 'redis' as const;
	readonly #cmd: Redis;
	readonly #sub: Redis;
	readonly #handlers = new Map<string, Set<BusHandler>>();
	readonly #resubscribed = new Set<() => void>();
	/** The subscriber connection's CLIENT name (operators and tests find it in CLIENT LIST). */
	readonly subscriberName = `majlis-sub-${randomBytes(6).toString('hex')}`;
	#closed = false;

	/** Connects to `url` (redis://…); commands queue until connected. */
	constructor(url: string) {
		this.#cmd = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
		// No ready check on the subscriber: its INFO can race a SUBSCRIBE sent while connecting (slow disk,
		// busy host), and a connection in subscriber mode refuses INFO, which ioredis treats as fatal — an SFU
		// node then failed to start. Pub/sub needs no loading check (channels ignore the database).
		this.#sub = new Redis(url, {
			maxRetriesPerRequest: null,
			enableReadyCheck: false,
			connectionName: this.subscriberName,
		});
		// ioredis resubscribes by itself on every `ready` after the first; its SUBSCRIBE goes out in the same
		// tick, so listeners run on the next one, when re-reading cannot miss what comes after.
		let connectedBefore = false;
		this.#sub.on('ready', () => {
			if (connectedBefore && !this.#closed) {
				setImmediate(() => {
					for (const listener of this.#resubscribed) {
						listener();
					}
				});
			}
			connectedBefore = true;
		});
		this.#sub.on('message', (channel: string, message: string) => {
			for (const handler of this.#handlers.get(channel) ?? []) {
				handler(message);
			}
		});
		// ioredis reconnects by itself; without a listener an error event would crash the process.
		this.#cmd.on('error', () => {});
		this.#sub.on('error', () => {});
	}

	/** Whether the command connection is up (ioredis `ready`). */
	get connected(): boolean {
		return this.#cmd.status === 'ready';
	}

	/** The command connection, for callers that need a Redis feature the interface does not have. */
	get redis(): Redis {
		return this.#cmd;
	}

	async publish(channel: string, message: string): Promise<void> {
		await this.#cmd.publish(channel, message);
	}

	async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
		let handlers = this.#handlers.get(channel);
		if (!handlers) {
			handlers = new Set();
			this.#handlers.set(channel, handlers);
			await this.#sub.subscribe(channel);
		}
		handlers.add(handler);

		return async () => {
			handlers.delete(handler);
			if (handlers.size === 0 && this.#handlers.get(channel) === handlers) {
				this.#handlers.delete(channel);
				if (this.#closed) {
					return;
				}
				if (this.#sub.status === 'ready') {
					await this.#sub.unsubscribe(channel);
				} else {
					// Redis is away: waiting for it would hang the caller (a closing app). The handlers are gone,
					// so what ioredis resubscribes on reconnect reaches nobody until the next UNSUBSCRIBE.
					this.#sub.unsubscribe(channel).catch(() => undefined);
				}
			}
		};
	}

	async get(key: string): Promise<string | null> {
		return this.#cmd.get(key);
	}

	async set(key: string, value: string, ttlMs?: number): Promise<void> {
		if (ttlMs) {
			await this.#cmd.set(key, value, 'PX', ttlMs);
		} else {
			await this.#cmd.set(key, value);
		}
	}

	async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
		const result = ttlMs
			? await this.#cmd.set(key, value, 'PX', ttlMs, 'NX')
			: await this.#cmd.set(key, value, 'NX');

		return result === 'OK';
	}

	async del(...keys: string[]): Promise<void> {
		if (keys.length > 0) {
			await this.#cmd.del(...keys);
		}
	}

	async expire(key: string, ttlMs: number): Promise<void> {
		await this.#cmd.pexpire(key, ttlMs);
	}

	async hget(key: string, field: string): Promise<string | null> {
		return this.#cmd.hget(key, field);
	}

	async hset(key: string, fields: Record<string, string>): Promise<void> {
		if (Object.keys(fields).length > 0) {
			await this.#cmd.hset(key, fields);
		}
	}

	async hdel(key: string, ...fields: string[]): Promise<void> {
		if (fields.length > 0) {
			await this.#cmd.hdel(key, ...fields);
		}
	}

	async hgetall(key: string): Promise<Record<string, string>> {
		const raw = await this.#cmd.hgetall(key);
		const out: Record<string, string> = Object.create(null);
		for (const [field, value] of Object.entries(raw)) {
			out[field] = value;
		}

		return out;
	}

	async incr(key: string, by = 1): Promise<number> {
		return this.#cmd.incrby(key, by);
	}

	onResubscribed(listener: () => void): () => void {
		this.#resubscribed.add(listener);

		return () => this.#resubscribed.delete(listener);
	}

	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		this.#handlers.clear();
		// QUIT waits for a reply: while Redis is unreachable it would wait for ever, so drop the socket instead.
		await Promise.allSettled(
			[this.#cmd, this.#sub].map((c) => (c.status === 'ready' ? c.quit() : Promise.resolve(c.disconnect())))
		);
	}
}
