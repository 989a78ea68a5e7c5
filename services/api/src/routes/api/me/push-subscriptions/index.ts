import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PushSubscriptionBodySchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema } from '../../../../schemas/common.js';

/** `/api/me/push-subscriptions`: this browser's Web Push subscription. */
const pushSubscriptionsRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.put(
		'',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'putPushSubscription',
				summary: 'Receive Web Push on this browser (its PushSubscription as JSON)',
				security: [...Security.user],
				body: PushSubscriptionBodySchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			await app.webPush.subscribe(requireUser(request), request.body);
			reply.code(204);
		}
	);

	app.delete(
		'',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'deletePushSubscription',
				summary: 'Stop Web Push to this browser',
				security: [...Security.user],
				body: Type.Object({ endpoint: PushSubscriptionBodySchema.properties.endpoint }),
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			await app.webPush.unsubscribe(requireUser(request), request.body.endpoint);
			reply.code(204);
		}
	);
};

export default pushSubscriptionsRoute;
