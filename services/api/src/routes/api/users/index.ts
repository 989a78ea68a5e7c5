import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { avatarUrl, ProfileSchema, UserSchema } from '@majlis/protocol';
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
				summary: 'A person’s profile by handle (case-insensitive): name, bio, avatar, follow counts',
				params: HandleParamsSchema,
				response: { 200: ProfileSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema },
			},
		},
		async (request) => {
			const user = await app.usersRepository.findProfile(request.params.handle);
			if (!user) {
				throw new NotFoundError('user');
			}
			const me = request.userId;
			const { followers, following } = await app.follows.counts(user.id);

			return {
				id: user.id,
				handle: user.handle,
				displayName: user.displayName,
				bio: user.bio,
				avatarUrl: avatarUrl(user.handle, user.avatar),
				createdAt: user.createdAt,
				followers,
				following,
				followedByMe: me === null || me === user.id ? null : await app.follows.isFollowing(me, user.id),
			};
		}
	);
};

export default users;
