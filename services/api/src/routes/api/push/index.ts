import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../../errors.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';

/** `/api/push/key`: the VAPID public key browsers subscribe with (404 when Web Push is off). */
const pushRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'/key',
		{
			config: { auth: 'none' },
			schema: {
				tags: ['notifications'],
				operationId: 'getPushKey',
				summary: 'The application server key for PushManager.subscribe()',
				response: { 200: Type.Object({ publicKey: Type.String() }), 404: ErrorResponseSchema },
			},
		},
		async () => {
			if (!app.webPush.publicKey) {
				throw new NotFoundError('web push');
			}

			return { publicKey: app.webPush.publicKey };
		}
	);
};

export default pushRoute;
