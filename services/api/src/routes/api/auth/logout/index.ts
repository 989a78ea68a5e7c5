import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UnauthorizedError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { ErrorResponseSchema, NoContentSchema } from '../../../../schemas/common.js';

/** `POST /api/auth/logout`: this session ends on the server (the token stops working). */
const logout: FastifyPluginAsyncTypebox = async (app) => {
	app.post(
		'',
		{
			schema: {
				tags: ['auth'],
				operationId: 'logout',
				summary: 'Sign out: this token stops working, here and on live sockets',
				security: [...Security.user],
				response: { 204: NoContentSchema, 401: ErrorResponseSchema },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			if (request.sessionId === null) {
				throw new UnauthorizedError();
			}
			await app.sessions.revoke(request.sessionId, userId);
			reply.code(204);
		}
	);
};

export default logout;
