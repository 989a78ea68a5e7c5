import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

// @fastify/rate-limit's own stores (CommonJS, untyped): Redis counters shared by every API process,
// and the in-memory LRU it uses without Redis.
const require = createRequire(import.meta.url);
type StoreCtor = new (...args: unknown[]) => FastifyRateLimitStore;
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as StoreCtor;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as StoreCtor;

/** How long a Redis counter may take before the request is counted in memory instead. */
const REDIS_DEADLINE_MS = 500;

type Incr = FastifyRateLimitStore['incr'];

class FallbackStore implements FastifyRateLimitStore {
	readonly #redis: Redis;
	readonly #shared: FastifyRateLimitStore;
	readonly #local: FastifyRateLimitStore;
	readonly #onFallback: (error: unknown) => void;

	constructor(
		redis: Redis,
		shared: FastifyRateLimitStore,
		local: FastifyRateLimitStore,
		onFallback: (error: unknown) => void
	) {
		this.#redis = redis;
		this.#shared = shared;
		this.#local = local;
		this.#onFallback = onFallback;
	}

	incr(...[key, callback, timeWindow, max]: Parameters<Incr>): void {
		// Not connected: do not queue behind ioredis' reconnects, count here at once.
		if (this.#redis.status !== 'ready') {
			this.#onFallback(new Error(`redis is ${this.#redis.status}`));
			this.#local.incr(key, callback, timeWindow, max);

			return;
		}
		let settled = false;
		const fallBack = (error: unknown) => {
			settled = true;
			this.#onFallback(error);
			this.#local.incr(key, callback, timeWindow, max);
		};
		const timer = setTimeout(() => fallBack(new Error('redis rate-limit counter timed out')), REDIS_DEADLINE_MS);
		this.#shared.incr(
			key,
			(error, result) => {
				if (settled) {
					return;
				}
				clearTimeout(timer);
				if (error || !result) {
					fallBack(error);
				} else {
					settled = true;
					callback(null, result);
				}
			},
			timeWindow,
			max
		);
	}

	child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
		return new FallbackStore(
			this.#redis,
			this.#shared.child(routeOptions),
			this.#local.child(routeOptions),
			this.#onFallback
		);
	}
}

/**
 * A rate-limit store on Redis that never fails open: while Redis is down or slow, requests are counted
 * in this process's memory instead (each API process then limits on its own, which is looser than the
 * shared counters but never unlimited). `onFallback` is told each time (log it, rate-limited).
 */
export function fallbackStore(
	redis: Redis,
	nameSpace: string,
	onFallback: (error: unknown) => void
): FastifyRateLimitStoreCtor {
	return class extends FallbackStore {
		constructor(options: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
			super(
				redis,
				new RedisStore(options.continueExceeding, options.exponentialBackoff, redis, nameSpace),
				new LocalStore(options.continueExceeding, options.exponentialBackoff),
				onFallback
			);
		}
	} as unknown as FastifyRateLimitStoreCtor;
}
