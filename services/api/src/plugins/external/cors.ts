import fastifyCors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiOptions } from '../../options.js';

/** CORS for the configured browser origins only; without any, browsers may call the API same-origin only. */
export default fp(
	async function cors(app: FastifyInstance, opts: ApiOptions) {
		const origins = opts.corsOrigins ?? [];
		await app.register(fastifyCors, {
			origin: origins.length > 0 ? origins : false,
			methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
			allowedHeaders: ['Authorization', 'Content-Type'],
			maxAge: 600,
		});
	},
	{ name: 'cors' }
);
