import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConflictError, NotFoundError } from '../../../../../errors.js';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema } from '../../../../../schemas/common.js';
import { HandleParamsSchema } from '../../../../../schemas/users.js';

/** `/api/users/:handle/follow`: follow and unfollow someone; both idempotent. */
const followRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { follows, usersRepository } = app;

	/** The followee's id, or 404 (deleted accounts cannot be followed). */
	async function followee(handle: string): Promise<string> {
		const user = await usersRepository.findByHandle(handle);
		if (!user) {
			throw new NotFoundError('user');
		}

		return user.id;
	}

	app.put(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'follow',
				summary: 'Follow someone: their rooms reach you',
				security: [...Security.user],
				params: HandleParamsSchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const me = requireUser(request);
			const target = await followee(request.params.handle);
			if (target === me) {
				throw new ConflictError('you cannot follow yourself');
			}
			await follows.follow(me, target);
			reply.code(204);
		}
	);

	app.delete(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'unfollow',
				summary: 'Stop following someone; idempotent',
				security: [...Security.user],
				params: HandleParamsSchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			await follows.unfollow(requireUser(request), await followee(request.params.handle));
			reply.code(204);
		}
	);
};

export default followRoute;
