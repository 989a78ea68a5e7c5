import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The CSP directives every response gets on top of helmet's defaults (which include
 * `frame-ancestors 'self'`); pages that change one directive (the embeddable player) start from these.
 */
export const CSP_DIRECTIVES = {
	// Self-hosted instances are often served over plain http on a LAN; upgrading every subresource to
	// https would break them.
	upgradeInsecureRequests: null,
	// Signalling may live on another origin (an SFU node's own host or port, as in the scaled
	// deployment), so the page must be allowed to open WebSockets elsewhere.
	connectSrc: ["'self'", 'ws:', 'wss:'],
};

/** Security headers. The docs page relaxes CSP for itself only (see swagger.ts), the embed page framing (embed-page.ts). */
export default fp(
	async function helmet(app: FastifyInstance) {
		await app.register(fastifyHelmet, {
			global: true,
			contentSecurityPolicy: { directives: CSP_DIRECTIVES },
		});
	},
	{ name: 'helmet' }
);
