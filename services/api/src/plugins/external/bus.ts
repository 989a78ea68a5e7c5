import type { Bus } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiOptions } from '../../options.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Live state and pub/sub shared with SFU nodes (owned by the caller of buildServer, not closed here). */
		bus: Bus;
	}
}

/** Exposes the injected bus. */
export default fp(
	async function bus(app: FastifyInstance, opts: ApiOptions) {
		app.decorate('bus', opts.bus);
	},
	{ name: 'bus' }
);
