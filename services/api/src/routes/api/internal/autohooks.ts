import type { FastifyInstance } from 'fastify';
import { AuthMode } from '../../../plugins/app/authentication.js';
import { Security } from '../../../plugins/external/swagger.js';

/**
 * Internal routes (SFU → API) take SFU service tokens, never user tokens. Marking every route here as
 * `auth: service` keeps the user check of the parent hook out of the way and documents the scheme.
 */
export default async function internalHooks(app: FastifyInstance): Promise<void> {
	app.addHook('onRoute', (route) => {
		route.config = { ...route.config, auth: AuthMode.Service };
		route.schema = { tags: ['internal'], security: [...Security.service], ...route.schema };
	});
	app.addHook('onRequest', app.authenticateService);
}
