import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { NotFoundError, UnauthorizedError } from '../../errors.js';
import type { ApiOptions } from '../../options.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Prometheus registry of this app (one per app, so several apps in a process do not collide). */
		metrics: Registry;
	}
}

// Hashing both sides gives equal lengths, so the comparison takes the same time whatever was sent.
function sameToken(sent: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text).digest();

	return timingSafeEqual(digest(sent), digest(expected));
}

/**
 * Prometheus metrics at `GET /metrics` (outside /api): process defaults and an HTTP request histogram.
 * The route sits on the public port, so it needs `Authorization: Bearer <metricsToken>`; without a
 * configured token it answers 404 (internals are not exposed by default).
 */
export default fp(
	async function metrics(app: FastifyInstance, opts: ApiOptions) {
		const registry = new Registry();
		collectDefaultMetrics({ register: registry });
		const duration = new Histogram({
			name: 'http_request_duration_seconds',
			help: 'HTTP request duration by method, route and status',
			labelNames: ['method', 'route', 'status_code'],
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers: [registry],
		});
		app.decorate('metrics', registry);
		app.addHook('onResponse', async (request, reply) => {
			// The route pattern, not the URL, so ids do not explode the label set.
			const route = request.routeOptions.url ?? 'unmatched';
			duration.observe(
				{ method: request.method, route, status_code: String(reply.statusCode) },
				reply.elapsedTime / 1000
			);
		});
		app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
			if (!opts.metricsToken) {
				throw new NotFoundError('route');
			}
			const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
			if (sent === undefined || !sameToken(sent, opts.metricsToken)) {
				reply.header('www-authenticate', 'Bearer');
				throw new UnauthorizedError('metrics token required');
			}
			reply.header('content-type', registry.contentType);

			return registry.metrics();
		});
	},
	{ name: 'metrics' }
);
