/** Handler of messages on a bus channel. */
export type BusHandler = (message: string) => void;

/**
 * Shared live state and pub/sub between API and SFU processes: Redis in production, an in-process
 * implementation in the single-process embedded mode. Values are strings (callers JSON-encode);
 * the operations are the small Redis subset the services need, with Redis semantics.
 */
export interface Bus {
	/** `redis` or `memory`. */
	readonly kind: 'redis' | 'memory';
	/** Whether commands can be served right now (Redis connected); callers with a fallback skip a dead bus. */
	readonly connected: boolean;
	/** Publishes `message` to every subscriber of `channel` (in every process, for Redis). */
	publish(channel: string, message: string): Promise<void>;
	/** Subscribes to `channel`; resolves once subscribed, to a function that unsubscribes. */
	subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
	/** GET. */
	get(key: string): Promise<string | null>;
	/** SET, with an optional time to live. */
	set(key: string, value: string, ttlMs?: number): Promise<void>;
	/** SET NX: true when the key was absent and is now set. */
	setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
	/** DEL. */
	del(...keys: string[]): Promise<void>;
	/** PEXPIRE. */
	expire(key: string, ttlMs: number): Promise<void>;
	/** HGET. */
	hget(key: string, field: string): Promise<string | null>;
	/** HSET of one or more fields. */
	hset(key: string, fields: Record<string, string>): Promise<void>;
	/** HDEL. */
	hdel(key: string, ...fields: string[]): Promise<void>;
	/** HGETALL (an empty object when the key is absent). */
	hgetall(key: string): Promise<Record<string, string>>;
	/** INCRBY; returns the new value. */
	incr(key: string, by?: number): Promise<number>;
	/**
	 * Calls `listener` each time the subscriptions come back after the connection was lost (pub/sub is
	 * at-most-once: messages published meanwhile are gone, so subscribers re-read what they track).
	 * Never called for the in-process bus. Returns a function that removes the listener.
	 */
	onResubscribed(listener: () => void): () => void;
	/** Closes connections; idempotent. */
	close(): Promise<void>;
}
