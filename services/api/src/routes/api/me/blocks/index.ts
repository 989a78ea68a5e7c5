import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BlockListSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, NotFoundError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

const UserParams = Type.Object({ userId: UuidSchema });

/** `/api/me/blocks`: the people the caller blocked; block and unblock. */
const blocksRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { blocks, usersRepository } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'listBlocks',
				summary: 'The people you blocked',
				security: [...Security.user],
				response: { 200: BlockListSchema, ...CommonErrors },
			},
		},
		async (request) => ({ items: await blocks.list(requireUser(request)) })
	);

	app.put(
		'/:userId',
		{
			schema: {
				tags: ['users'],
				operationId: 'block',
				summary: 'Block someone: they cannot join rooms you host; you no longer see their rooms or chat',
				security: [...Security.user],
				params: UserParams,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const me = requireUser(request);
			const { userId } = request.params;
			if (userId === me) {
				throw new ConflictError('you cannot block yourself');
			}
			if (!(await usersRepository.findById(userId))) {
				throw new NotFoundError('user');
			}
			await blocks.add(me, userId);
			reply.code(204);
		}
	);

	app.delete(
		'/:userId',
		{
			schema: {
				tags: ['users'],
				operationId: 'unblock',
				summary: 'Unblock someone; idempotent',
				security: [...Security.user],
				params: UserParams,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			await blocks.remove(requireUser(request), request.params.userId);
			reply.code(204);
		}
	);
};

export default blocksRoute;
