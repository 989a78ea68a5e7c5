import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RATE_LIMITS } from '../../../plugins/external/rate-limit.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';

/** `GET /api/health`: liveness (the process answers). */
const health: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			config: { auth: 'none', rateLimit: RATE_LIMITS.health },
			schema: {
				tags: ['meta'],
				operationId: 'getHealth',
				summary: 'Liveness',
				description: 'Answers 200 while the process serves requests; rate-limited per address like every anonymous route.',
				response: { 200: Type.Object({ status: Type.Literal('ok') }), 429: ErrorResponseSchema },
			},
		},
		async () => ({ status: 'ok' as const })
	);
};

export default health;
