import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { RATE_LIMITS } from '../../../../plugins/external/rate-limit.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { ErrorResponseSchema, NoContentSchema } from '../../../../schemas/common.js';
import { ChangePasswordBodySchema } from '../../../../schemas/sessions.js';

/** `POST /api/me/password`: change the password; every other session of the user ends. */
const password: FastifyPluginAsyncTypebox = async (app) => {
	app.post(
		'',
		{
			// Guessing the current password with a stolen token is throttled like log-in.
			config: { rateLimit: RATE_LIMITS.login },
			schema: {
				tags: ['users'],
				operationId: 'changePassword',
				summary: 'Change the password (needs the current one); signs out every other session',
				security: [...Security.user],
				body: ChangePasswordBodySchema,
				response: { 204: NoContentSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			const { currentPassword, newPassword } = request.body;
			const hash = await app.usersRepository.passwordHash(userId);
			if (hash === undefined || !(await app.passwords.verify(hash, currentPassword))) {
				throw new ValidationError({ currentPassword: 'is not your current password' });
			}
			await app.usersRepository.setPasswordHash(userId, await app.passwords.hash(newPassword));
			await app.sessions.revokeAll(userId, request.sessionId ?? undefined);
			reply.code(204);
		}
	);
};

export default password;
