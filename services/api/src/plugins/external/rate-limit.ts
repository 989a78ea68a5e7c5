import fastifyRateLimit from '@fastify/rate-limit';
import { ErrorCode } from '@majlis/protocol';
import { RedisBus } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../../errors.js';
import type { ApiOptions } from '../../options.js';

/** Per-route limits (per client IP and signed-in user, per minute). */
export const RATE_LIMITS = {
	signup: { max: 10, timeWindow: '1 minute' },
	login: { max: 20, timeWindow: '1 minute' },
	createRoom: { max: 20, timeWindow: '1 minute' },
	join: { max: 60, timeWindow: '1 minute' },
} as const;

/**
 * @fastify/rate-limit, off by default on every route (routes opt in with `config.rateLimit`). Counters
 * live in Redis when the bus is Redis, so every API process shares them; in memory otherwise.
 */
export default fp(
	async function rateLimit(app: FastifyInstance, opts: ApiOptions) {
		if (opts.rateLimits === false) {
			return;
		}
		await app.register(fastifyRateLimit, {
			global: false,
			// After authentication, so the key can name the user.
			hook: 'preHandler',
			...(opts.bus instanceof RedisBus ? { redis: opts.bus.redis, nameSpace: 'majlis:ratelimit:' } : {}),
			// A broken Redis must not lock everyone out.
			skipOnError: true,
			keyGenerator: (request) => `${request.ip}|${request.userId ?? '-'}`,
			errorResponseBuilder: (_request, context) =>
				new ApiError(429, ErrorCode.RateLimited, `too many requests; retry in ${context.after}`),
		});
	},
	{ name: 'rate-limit', dependencies: ['bus'] }
);
