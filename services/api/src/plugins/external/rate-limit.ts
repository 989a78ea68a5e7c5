import fastifyRateLimit from '@fastify/rate-limit';
import { redisOf } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RateLimitedError } from '../../errors.js';
import { DEFAULT_LIMITS } from '../../limits.js';
import type { ApiOptions } from '../../options.js';
import { fallbackStore } from '../../rate-limit-store.js';

/** Per-route limits (per client IP and signed-in user, per minute). */
export const RATE_LIMITS = {
	signup: { max: 10, timeWindow: '1 minute' },
	login: { max: 20, timeWindow: '1 minute' },
	createRoom: { max: 20, timeWindow: '1 minute' },
	startRoom: { max: 10, timeWindow: '1 minute' },
	join: { max: 60, timeWindow: '1 minute' },
	/** Joins without an account (reach, issue 14), per address: tickets are cheap to ask for, seats are not. */
	anonymousJoin: { max: 20, timeWindow: '1 minute' },
	listRooms: { max: 120, timeWindow: '1 minute' },
	// Health checks come from probes every few seconds; the cap only stops a flood from one address.
	health: { max: 300, timeWindow: '1 minute' },
	/** Federation routes (inboxes, WebFinger, actors), per address: a busy server shares one inbox. */
	federation: { max: 300, timeWindow: '1 minute' },
	/** Following a fediverse account makes this server look it up and deliver to it. */
	followFediverse: { max: 20, timeWindow: '1 minute' },
} as const;

/** Redis key prefix of the shared counters. */
const NAME_SPACE = 'majlis:ratelimit:';
/** At most one "counting in memory" warning per this many ms. */
const FALLBACK_LOG_MS = 10_000;

/**
 * @fastify/rate-limit, off by default on every route (routes opt in with `config.rateLimit`). Counters
 * live in Redis when the bus is Redis, so every API process shares them, and in memory while Redis is
 * unreachable (limits never switch off); in memory only with the in-process bus.
 */
export default fp(
	async function rateLimit(app: FastifyInstance, opts: ApiOptions) {
		if (opts.rateLimits === false) {
			return;
		}
		const redis = redisOf(opts.bus);
		let loggedAt = 0;
		const onFallback = (error: unknown) => {
			if (Date.now() - loggedAt > FALLBACK_LOG_MS) {
				loggedAt = Date.now();
				app.log.warn({ err: error }, 'rate-limit | Redis unavailable, counting in memory');
			}
		};
		await app.register(fastifyRateLimit, {
			global: false,
			// After authentication, so the key can name the user.
			hook: 'preHandler',
			...(redis ? { store: fallbackStore(redis, NAME_SPACE, onFallback) } : {}),
			// An API token is counted on its own, wherever it is used from.
			keyGenerator: (request) =>
				request.apiTokenId ? `token:${request.apiTokenId}` : `${request.ip}|${request.userId ?? '-'}`,
			errorResponseBuilder: (_request, context) =>
				new RateLimitedError(context.ttl / 1000, `too many requests; retry in ${context.after}`),
		});
		// Besides the per-route limits, each API token has a budget over all routes (a runaway bot).
		// createRateLimit, not rateLimit: the latter marks the request as limited and would skip the route's own limit.
		const perToken = app.createRateLimit({
			max: opts.limits?.apiTokenRequestsPerMinute ?? DEFAULT_LIMITS.apiTokenRequestsPerMinute,
			timeWindow: '1 minute',
			keyGenerator: (request) => `apitoken:${request.apiTokenId}`,
		});
		app.addHook('preHandler', async (request) => {
			if (request.apiTokenId === null) {
				return;
			}
			const limit = await perToken(request);
			if (!limit.isAllowed && limit.isExceeded) {
				throw new RateLimitedError(limit.ttlInSeconds, 'too many requests for this API token');
			}
		});
	},
	{ name: 'rate-limit', dependencies: ['bus'] }
);
