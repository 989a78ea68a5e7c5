import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

/** `GET /api/health`: liveness (the process answers). */
const health: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			config: { auth: 'none' },
			schema: {
				tags: ['meta'],
				operationId: 'getHealth',
				summary: 'Liveness',
				response: { 200: Type.Object({ status: Type.Literal('ok') }) },
			},
		},
		async () => ({ status: 'ok' as const })
	);
};

export default health;
