import type { FastifyInstance } from 'fastify';

/** Every /api route authenticates its caller as its `config.auth` says (default: a user token is required). */
export default async function apiHooks(app: FastifyInstance): Promise<void> {
	app.addHook('onRequest', app.authenticateUser);
}
