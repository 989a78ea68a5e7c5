import fastifySensible from '@fastify/sensible';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** @fastify/sensible: HTTP helpers (httpErrors, reply.notFound…) for plugins that want them. */
export default fp(
	async function sensible(app: FastifyInstance) {
		await app.register(fastifySensible);
	},
	{ name: 'sensible' }
);
