import type { Bus } from '@majlis/server-kit';
import type { FastifyBaseLogger, FastifyInstance, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { RateLimitedError } from '../../../errors.js';
import { type AbuseLimits, DEFAULT_LIMITS } from '../../../limits.js';
import type { ApiOptions } from '../../../options.js';

/** The route whose failures count per handle. */
const LOGIN_ROUTE = { method: 'POST', url: '/api/auth/login' };
/** First wait once a handle reaches its free failures; it doubles with each further failure. */
const BASE_DELAY_MS = 1000;
/** How long a bus call may take before the throttle counts in memory instead. */
const BUS_DEADLINE_MS = 500;
/** Most handles the in-memory fallback remembers. */
const MEMORY_HANDLES = 10_000;

const failKey = (handle: string) => `majlis:login:${handle}:failures`;
const lockKey = (handle: string) => `majlis:login:${handle}:locked-until`;

/** Where failures and locks live: the bus (shared by every API process), or memory while it is down. */
interface ThrottleStore {
	/** Until when (ms since epoch) the handle is locked; 0 when it is not. */
	lockedUntil(handle: string): Promise<number>;
	/** Counts a failure; returns how many there were in the current window. */
	fail(handle: string, windowMs: number): Promise<number>;
	/** Locks the handle until `until`. */
	lock(handle: string, until: number): Promise<void>;
	/** Forgets the handle's failures (a successful log-in). */
	clear(handle: string): Promise<void>;
}

function busStore(bus: Bus): ThrottleStore {
	return {
		async lockedUntil(handle) {
			return Number(await bus.get(lockKey(handle))) || 0;
		},
		async fail(handle, windowMs) {
			const failures = await bus.incr(failKey(handle));
			// The window starts at the first failure and is not extended, so it always ends.
			if (failures === 1) {
				await bus.expire(failKey(handle), windowMs);
			}

			return failures;
		},
		async lock(handle, until) {
			await bus.set(lockKey(handle), String(until), Math.max(1, until - Date.now()));
		},
		async clear(handle) {
			await bus.del(failKey(handle), lockKey(handle));
		},
	};
}

function memoryStore(): ThrottleStore {
	const entries = new Map<string, { failures: number; windowEnd: number; lockedUntil: number }>();
	const live = (handle: string) => {
		const entry = entries.get(handle);
		if (entry && entry.windowEnd <= Date.now() && entry.lockedUntil <= Date.now()) {
			entries.delete(handle);

			return undefined;
		}

		return entry;
	};

	return {
		async lockedUntil(handle) {
			return live(handle)?.lockedUntil ?? 0;
		},
		async fail(handle, windowMs) {
			let entry = live(handle);
			if (!entry || entry.windowEnd <= Date.now()) {
				if (entries.size >= MEMORY_HANDLES) {
					// Map order is insertion order: drop the oldest.
					entries.delete(entries.keys().next().value as string);
				}
				entry = { failures: 0, windowEnd: Date.now() + windowMs, lockedUntil: entry?.lockedUntil ?? 0 };
				entries.set(handle, entry);
			}
			entry.failures += 1;

			return entry.failures;
		},
		async lock(handle, until) {
			const entry = entries.get(handle);
			if (entry) {
				entry.lockedUntil = until;
			}
		},
		async clear(handle) {
			entries.delete(handle);
		},
	};
}

function withDeadline<T>(work: Promise<T>): Promise<T> {
	return Promise.race([
		work,
		new Promise<T>((_resolve, reject) => {
			setTimeout(() => reject(new Error('bus call timed out')), BUS_DEADLINE_MS).unref();
		}),
	]);
}

/**
 * Per-handle log-in throttle, on top of the per-address rate limit (which an attacker with many
 * addresses escapes): after `loginFailuresPerHandle` failures within `loginWindowSeconds`, the handle
 * is locked for 1 s, then 2, 4… up to `loginMaxDelaySeconds`, from every address, and locked attempts
 * are refused (429 with `retryAfter`) before any password is checked. Nothing is tied to an address,
 * and the count starts over when the window ends, so the owner can always log in again from anywhere
 * once an attack stops. Unknown handles are throttled alike, so the throttle reveals nothing.
 */
export function createLoginThrottle(bus: Bus, limits: AbuseLimits, log: FastifyBaseLogger) {
	const shared = busStore(bus);
	const memory = memoryStore();
	// Each call goes to the bus, or to memory when the bus fails: the throttle never fails open.
	async function run<T>(use: (store: ThrottleStore) => Promise<T>): Promise<T> {
		if (!bus.connected) {
			return use(memory);
		}
		try {
			return await withDeadline(use(shared));
		} catch (error) {
			log.warn({ err: error }, 'loginThrottle | bus unavailable, counting in memory');

			return use(memory);
		}
	}

	return {
		/** Throws {@link RateLimitedError} while `handle` is locked. */
		async check(handle: string): Promise<void> {
			const key = handle.toLowerCase();
			const until = await run((s) => s.lockedUntil(key));
			if (until > Date.now()) {
				throw new RateLimitedError(
					(until - Date.now()) / 1000,
					'too many failed log-ins for this handle; try again later'
				);
			}
		},
		/** Counts a failed log-in; locks the handle once it has had its free failures. */
		async failed(handle: string): Promise<void> {
			const key = handle.toLowerCase();
			await run(async (s) => {
				const failures = await s.fail(key, limits.loginWindowSeconds * 1000);
				const over = failures - limits.loginFailuresPerHandle;
				if (over >= 0) {
					const delay = Math.min(BASE_DELAY_MS * 2 ** Math.min(over, 30), limits.loginMaxDelaySeconds * 1000);
					await s.lock(key, Date.now() + delay);
				}
			});
		},
		/** A successful log-in: the handle starts afresh. */
		async succeeded(handle: string): Promise<void> {
			const key = handle.toLowerCase();
			await run((s) => s.clear(key));
		},
	};
}

/** What {@link createLoginThrottle} returns. */
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

declare module 'fastify' {
	interface FastifyInstance {
		/** Per-handle log-in throttle. */
		loginThrottle: LoginThrottle;
	}
}

/** Decorates the app with `loginThrottle` and hooks it onto `POST /api/auth/login` (off with `rateLimits: false`). */
export default fp(
	async function loginThrottle(app: FastifyInstance, opts: ApiOptions) {
		const throttle = createLoginThrottle(app.bus, { ...DEFAULT_LIMITS, ...opts.limits }, app.log);
		app.decorate('loginThrottle', throttle);
		if (opts.rateLimits === false) {
			return;
		}
		const handleOf = (body: unknown) => {
			const handle = (body as { handle?: unknown } | undefined)?.handle;

			return typeof handle === 'string' ? handle : null;
		};
		const before: preHandlerHookHandler = async (request) => {
			const handle = handleOf(request.body);
			if (handle !== null) {
				await throttle.check(handle);
			}
		};
		// onSend, not onResponse: the failure is counted before the caller hears of it, so a client
		// cannot race attempts past the count.
		const after: onSendHookHandler = async (request, reply) => {
			const handle = handleOf(request.body);
			if (handle === null) {
				return;
			}
			if (reply.statusCode === 401) {
				await throttle.failed(handle);
			} else if (reply.statusCode === 200) {
				await throttle.succeeded(handle);
			}
		};
		app.addHook('onRoute', (route) => {
			if (route.url === LOGIN_ROUTE.url && route.method === LOGIN_ROUTE.method) {
				route.preHandler = [before, ...toArray(route.preHandler)];
				route.onSend = [...toArray(route.onSend), after];
			}
		});
	},
	{ name: 'login-throttle', dependencies: ['bus'] }
);

function toArray<T>(value: T | T[] | undefined): T[] {
	if (value === undefined) {
		return [];
	}

	return Array.isArray(value) ? value : [value];
}
