import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BotListSchema, CreateBotBodySchema, hasVisibleText, UserSummarySchema } from '@majlis/protocol';
import { ConflictError, ValidationError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { HandleTakenError } from '../../../../plugins/app/users/users-repository.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors } from '../../../../schemas/common.js';

/** `/api/me/bots`: bot accounts the caller owns; they act only through API tokens the owner makes for them. */
const botsRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { bots } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'listBots',
				summary: 'Your bot accounts',
				security: [...Security.user],
				response: { 200: BotListSchema, ...CommonErrors },
			},
		},
		async (request) => ({ items: await bots.list(requireUser(request)) })
	);

	app.post(
		'',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'createBot',
				summary: 'Create a bot account (it cannot log in; create API tokens for it)',
				security: [...Security.user],
				body: CreateBotBodySchema,
				response: { 201: UserSummarySchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const displayName = request.body.displayName.trim();
			if (!hasVisibleText(displayName)) {
				throw new ValidationError({ displayName: 'must contain visible characters' });
			}
			try {
				const bot = await bots.create(requireUser(request), { handle: request.body.handle, displayName });
				reply.code(201);

				return bot;
			} catch (error) {
				if (error instanceof HandleTakenError) {
					throw new ConflictError('that handle is taken', 'conflict', { handle: 'is taken' });
				}
				throw error;
			}
		}
	);
};

export default botsRoute;
