import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UserSchema } from '@majlis/protocol';
import { UnauthorizedError } from '../../../errors.js';
import { requireUser } from '../../../plugins/app/authentication.js';
import { Security } from '../../../plugins/external/swagger.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';

/** `GET /api/me`: the signed-in user. */
const me: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'getMe',
				summary: 'The signed-in user',
				security: [...Security.user],
				response: { 200: UserSchema, 401: ErrorResponseSchema },
			},
		},
		async (request) => {
			const user = await app.usersRepository.findById(requireUser(request));
			if (!user) {
				throw new UnauthorizedError();
			}

			return user;
		}
	);
};

export default me;
