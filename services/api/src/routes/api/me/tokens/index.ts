import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	ApiTokenListSchema,
	CreateApiTokenBodySchema,
	CreatedApiTokenSchema,
	hasVisibleText,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { NotFoundError, ValidationError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

const TokenParams = Type.Object({ tokenId: UuidSchema });

/**
 * `/api/me/tokens`: personal API tokens (for the caller or one of their bots). Not usable with an API
 * token itself (token-scopes.ts): a leaked token cannot mint more or outlive its revocation.
 */
const tokensRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { apiTokens, bots } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'listApiTokens',
				summary: 'Your API tokens (and your bots’), without their secrets',
				security: [...Security.user],
				response: { 200: ApiTokenListSchema, ...CommonErrors },
			},
		},
		async (request) => ({ items: await apiTokens.list(requireUser(request)) })
	);

	app.post(
		'',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'createApiToken',
				summary: 'Create an API token; its secret is in this reply only',
				security: [...Security.user],
				body: CreateApiTokenBodySchema,
				response: { 201: CreatedApiTokenSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const ownerId = requireUser(request);
			const { name, scopes, botId } = request.body;
			if (!hasVisibleText(name)) {
				throw new ValidationError({ name: 'must contain visible characters' });
			}
			if (botId !== undefined && !(await bots.isOwnedBy(botId, ownerId))) {
				throw new ValidationError({ botId: 'is not one of your bots' });
			}
			const created = await apiTokens.create({
				ownerId,
				userId: botId ?? ownerId,
				name: name.trim(),
				scopes,
			});
			reply.code(201);

			return created;
		}
	);

	app.delete(
		'/:tokenId',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'revokeApiToken',
				summary: 'Revoke an API token: it is refused (401) from now on',
				security: [...Security.user],
				params: TokenParams,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			if (!(await apiTokens.revoke(requireUser(request), request.params.tokenId))) {
				throw new NotFoundError('API token');
			}
			reply.code(204);
		}
	);
};

export default tokensRoute;
