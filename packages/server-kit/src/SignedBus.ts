import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Bus, BusHandler } from './Bus.js';

/** Why {@link SignedBus} dropped a message it received. */
export type BusRejection = 'unsigned' | 'bad-signature' | 'stale' | 'replayed';

/** Called once for every message {@link SignedBus} drops (log it, count it). */
export type BusRejectionHandler = (channel: string, reason: BusRejection) => void;

const VERSION = 'm1';
const SIGNATURE_BYTES = 32;
/**
 * How far a message's time may be from this node's clock. It bounds replays of a captured message to
 * this window and tolerates clock skew between nodes; pub/sub delivers in milliseconds otherwise.
 */
export const BUS_MESSAGE_MAX_AGE_MS = 60_000;

/**
 * The bus key, derived (HKDF-SHA256 with a label of its own) from the secret every API and SFU process
 * of a cluster already shares: the service secret, or the older JWT secret. It is independent of the
 * tokens signed with that secret, and needs no extra setting.
 */
export function deriveBusKey(sharedSecret: string): Buffer {
	if (Buffer.byteLength(sharedSecret) < 32) {
		throw new TypeError('the cluster secret must be at least 32 bytes');
	}

	return Buffer.from(hkdfSync('sha256', sharedSecret, 'majlis', 'majlis bus messages v1', 32));
}

/**
 * A {@link Bus} whose pub/sub messages are authenticated (finding 3 of the security review): each
 * published message carries its time, a random nonce and an HMAC-SHA256 over channel, time, nonce and
 * body; a subscriber gets only messages whose MAC checks out, whose time is within
 * {@link BUS_MESSAGE_MAX_AGE_MS}, and that it has not had before (a replay inside that window, e.g. an
 * old promotion sent again after a demotion, is refused). Anything that can reach Redis but lacks the
 * cluster secret can no longer speak for a node or the API. The key/value commands pass through (their
 * readers validate what they read).
 */
export class SignedBus implements Bus {
	readonly #inner: Bus;
	readonly #key: Buffer;
	readonly #onRejected: BusRejectionHandler;
	readonly #now: () => number;
	#rejected = 0;

	/** Wraps `inner`; `key` comes from {@link deriveBusKey}. */
	constructor(
		inner: Bus,
		key: Buffer,
		onRejected: BusRejectionHandler = () => {},
		now: () => number = Date.now
	) {
		this.#inner = inner;
		this.#key = key;
		this.#onRejected = onRejected;
		this.#now = now;
	}

	/** The wrapped bus's kind. */
	get kind(): Bus['kind'] {
		return this.#inner.kind;
	}

	/** Whether the wrapped bus is connected. */
	get connected(): boolean {
		return this.#inner.connected;
	}

	/** The bus this one signs for (a RedisBus exposes its connection there). */
	get inner(): Bus {
		return this.#inner;
	}

	/** Messages dropped so far (for metrics). */
	get rejected(): number {
		return this.#rejected;
	}

	#mac(channel: string, time: string, nonce: string, body: string): Buffer {
		return createHmac('sha256', this.#key).update(`${channel}\n${time}\n${nonce}\n${body}`).digest();
	}

	/** The signed form of `body` on `channel` (what {@link publish} sends). */
	seal(channel: string, body: string): string {
		const time = String(this.#now());
		// The nonce makes two equal messages of the same millisecond differ, so neither looks like a replay.
		const nonce = randomBytes(9).toString('base64url');
		const mac = this.#mac(channel, time, nonce, body).toString('base64url');

		return `${VERSION}.${time}.${nonce}.${mac}.${body}`;
	}

	/**
	 * The body of a signed message and its MAC (what a replay would repeat), or why it is refused. Replays
	 * are told apart by the subscriber, which knows what it has received.
	 */
	open(channel: string, raw: string): { body: string; mac: string } | { reason: BusRejection } {
		const parts = /^m1\.(\d{1,15})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})\./.exec(raw);
		if (!parts) {
			return { reason: 'unsigned' };
		}
		const [head, time, nonce, signature] = parts as unknown as [string, string, string, string];
		const body = raw.slice(head.length);
		const given = Buffer.from(signature, 'base64url');
		const expected = this.#mac(channel, time, nonce, body);
		if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, expected)) {
			return { reason: 'bad-signature' };
		}
		if (Math.abs(this.#now() - Number(time)) > BUS_MESSAGE_MAX_AGE_MS) {
			return { reason: 'stale' };
		}

		return { body, mac: signature };
	}

	async publish(channel: string, message: string): Promise<void> {
		await this.#inner.publish(channel, this.seal(channel, message));
	}

	async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
		// MACs this subscription received, by arrival time (oldest first): a message is only fresh for
		// BUS_MESSAGE_MAX_AGE_MS of its own time, so twice that covers every accepted one.
		const seen = new Map<string, number>();
		const reject = (reason: BusRejection) => {
			this.#rejected++;
			this.#onRejected(channel, reason);
		};

		return this.#inner.subscribe(channel, (raw) => {
			const opened = this.open(channel, raw);
			if ('reason' in opened) {
				reject(opened.reason);

				return;
			}
			const now = this.#now();
			for (const [mac, at] of seen) {
				if (now - at <= 2 * BUS_MESSAGE_MAX_AGE_MS) {
					break;
				}
				seen.delete(mac);
			}
			if (seen.has(opened.mac)) {
				reject('replayed');

				return;
			}
			seen.set(opened.mac, now);
			handler(opened.body);
		});
	}

	get(key: string): Promise<string | null> {
		return this.#inner.get(key);
	}

	set(key: string, value: string, ttlMs?: number): Promise<void> {
		return this.#inner.set(key, value, ttlMs);
	}

	setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
		return this.#inner.setIfAbsent(key, value, ttlMs);
	}

	del(...keys: string[]): Promise<void> {
		return this.#inner.del(...keys);
	}

	expire(key: string, ttlMs: number): Promise<void> {
		return this.#inner.expire(key, ttlMs);
	}

	hget(key: string, field: string): Promise<string | null> {
		return this.#inner.hget(key, field);
	}

	hset(key: string, fields: Record<string, string>): Promise<void> {
		return this.#inner.hset(key, fields);
	}

	hdel(key: string, ...fields: string[]): Promise<void> {
		return this.#inner.hdel(key, ...fields);
	}

	hgetall(key: string): Promise<Record<string, string>> {
		return this.#inner.hgetall(key);
	}

	incr(key: string, by?: number): Promise<number> {
		return this.#inner.incr(key, by);
	}

	onResubscribed(listener: () => void): () => void {
		return this.#inner.onResubscribed(listener);
	}

	close(): Promise<void> {
		return this.#inner.close();
	}
}

/**
 * A {@link BusRejectionHandler} that logs a warning per dropped message, at most one a second (a flood
 * of forged messages must not flood the log too); the next line says how many were not logged.
 */
export function logBusRejections(
	log: { warn(obj: object, msg: string): void },
	now: () => number = Date.now
): BusRejectionHandler {
	let loggedAt = Number.NEGATIVE_INFINITY;
	let unlogged = 0;

	return (channel, reason) => {
		if (now() - loggedAt < 1000) {
			unlogged++;

			return;
		}
		loggedAt = now();
		log.warn(
			{ channel, reason, unlogged },
			'bus | dropped a message that failed the cluster signature check'
		);
		unlogged = 0;
	};
}
