import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	CreatedWebhookSchema,
	CreateWebhookBodySchema,
	IdSchema,
	WebhookDeliveryListSchema,
	WebhookListSchema,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { webhookUrlProblem } from '../../../../plugins/app/integrations/webhook-sender.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

const WebhookParams = Type.Object({ webhookId: UuidSchema });

/**
 * `/api/me/webhooks`: endpoints that get signed events of the caller's rooms (or, for deployment admins,
 * of every room), their delivery log, and "send test event".
 */
const webhooksRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { webhooks } = app;

	async function requireOwn(request: { params: { webhookId: string } }, userId: string): Promise<string> {
		if (!(await webhooks.owns(userId, request.params.webhookId))) {
			throw new NotFoundError('webhook');
		}

		return request.params.webhookId;
	}

	app.get(
		'',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'listWebhooks',
				summary: 'Your webhook endpoints',
				security: [...Security.user],
				response: { 200: WebhookListSchema, ...CommonErrors },
			},
		},
		async (request) => ({ items: await webhooks.list(requireUser(request)) })
	);

	app.post(
		'',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'createWebhook',
				summary: 'Register an https endpoint; its signing secret is in this reply only',
				description:
					'`scope: all` (events of every room) is for deployment admins (MAJLIS_ADMINS). Endpoints on ' +
					'private or loopback addresses are refused. Deliveries carry `Majlis-Signature: t=…,v1=…`, ' +
					'the HMAC-SHA256 of `t + "." + body` with the secret.',
				security: [...Security.user],
				body: CreateWebhookBodySchema,
				response: { 201: CreatedWebhookSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const ownerId = requireUser(request);
			const { url, events, scope = 'own' } = request.body;
			if (scope === 'all') {
				const user = await app.usersRepository.findById(ownerId);
				if (!user || !app.reports.isAdmin(user.handle)) {
					throw new ForbiddenError('only deployment admins may watch every room');
				}
			}
			const problem = await webhookUrlProblem(url, webhooks.settings.allowPrivate);
			if (problem) {
				throw new ValidationError({ url: problem });
			}
			reply.code(201);

			return webhooks.create({ ownerId, url, events, scope });
		}
	);

	app.delete(
		'/:webhookId',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'deleteWebhook',
				summary: 'Delete an endpoint and its undelivered events',
				security: [...Security.user],
				params: WebhookParams,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			if (!(await webhooks.remove(requireUser(request), request.params.webhookId))) {
				throw new NotFoundError('webhook');
			}
			reply.code(204);
		}
	);

	app.post(
		'/:webhookId/test',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'testWebhook',
				summary: 'Send a test event (`ping`) to an endpoint; see its outcome in the delivery log',
				security: [...Security.user],
				params: WebhookParams,
				response: { 202: Type.Object({ deliveryId: IdSchema }), ...CommonErrors },
			},
		},
		async (request, reply) => {
			const id = await requireOwn(request, requireUser(request));
			reply.code(202);

			return { deliveryId: await webhooks.ping(id) };
		}
	);

	app.get(
		'/:webhookId/deliveries',
		{
			schema: {
				tags: ['integrations'],
				operationId: 'listWebhookDeliveries',
				summary: 'The delivery log of an endpoint (last 50): state, attempts, status, response time',
				security: [...Security.user],
				params: WebhookParams,
				response: { 200: WebhookDeliveryListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const id = await requireOwn(request, requireUser(request));

			return { items: await webhooks.deliveries(id) };
		}
	);
};

export default webhooksRoute;
