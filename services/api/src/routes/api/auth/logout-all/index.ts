import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { ErrorResponseSchema, NoContentSchema } from '../../../../schemas/common.js';

/** `POST /api/auth/logout-all`: every session of the user ends, this one included. */
const logoutAll: FastifyPluginAsyncTypebox = async (app) => {
	app.post(
		'',
		{
			schema: {
				tags: ['auth'],
				operationId: 'logoutEverywhere',
				summary: 'Sign out everywhere: every token of this user stops working, this one included',
				security: [...Security.user],
				response: { 204: NoContentSchema, 401: ErrorResponseSchema },
			},
		},
		async (request, reply) => {
			await app.sessions.revokeAll(requireUser(request));
			reply.code(204);
		}
	);
};

export default logoutAll;
