import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UserSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { NotFoundError } from '../../../errors.js';
import { Security } from '../../../plugins/external/swagger.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';
import { HandleParamsSchema, USER_SEARCH_LIMIT, UserSearchQuerySchema } from '../../../schemas/users.js';

/** Profiles by handle, and the prefix search the web client uses to pick co-hosts and guests. */
const users: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'searchUsers',
				summary: 'Search users by handle or display name prefix',
				security: [...Security.user],
				querystring: UserSearchQuerySchema,
				response: { 200: Type.Array(UserSchema), 400: ErrorResponseSchema, 401: ErrorResponseSchema },
			},
		},
		async (request) => {
			const prefix = request.query.q.trim();

			return prefix.length === 0 ? [] : app.usersRepository.search(prefix, USER_SEARCH_LIMIT);
		}
	);

	app.get(
		'/:handle',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['users'],
				operationId: 'getUser',
				summary: 'A user by handle (case-insensitive)',
				params: HandleParamsSchema,
				response: { 200: UserSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema },
			},
		},
		async (request) => {
			const user = await app.usersRepository.findByHandle(request.params.handle);
			if (!user) {
				throw new NotFoundError('user');
			}

			return user;
		}
	);
};

export default users;
