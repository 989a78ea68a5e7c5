import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { trustFunction } from '@majlis/server-kit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import serviceApp from './app.js';
import type { ApiOptions } from './options.js';
import { createValidatorCompiler } from './validation.js';

/** Largest request body (JSON bodies here are small; bigger ones get 413). */
export const BODY_LIMIT = 64 * 1024;

function loggerOptions(
	logger: ApiOptions['logger']
): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
	if (logger === undefined || typeof logger === 'boolean') {
		return { logger: logger ?? false };
	}
	const maybe = logger as { child?: unknown; info?: unknown };
	if (typeof maybe.child === 'function' && typeof maybe.info === 'function') {
		return { loggerInstance: logger as NonNullable<FastifyServerOptions['loggerInstance']> };
	}

	return { logger: logger as FastifyServerOptions['logger'] };
}

/**
 * Builds the API (ready, not listening): connects to Postgres and migrates it, wires the bus, registers
 * every plugin and route. The caller owns the bus; `app.close()` closes the database pool.
 */
export async function buildServer(options: ApiOptions): Promise<FastifyInstance> {
	const app = Fastify({
		...loggerOptions(options.logger),
		bodyLimit: BODY_LIMIT,
		trustProxy: trustFunction(options.trustProxy ?? false),
		// `/api/rooms/` and `/api/rooms` are the same resource.
		routerOptions: { ignoreTrailingSlash: true },
	}).withTypeProvider<TypeBoxTypeProvider>();
	app.setValidatorCompiler(createValidatorCompiler());
	try {
		// fp: the app's hooks, error handler and decorators apply to the root, so `extend` routes get them too.
		await app.register(fp(serviceApp), options);
		if (options.extend) {
			await options.extend(app as unknown as FastifyInstance);
		}
		await app.ready();
	} catch (error) {
		await app.close().catch(() => {});
		throw error;
	}

	return app as unknown as FastifyInstance;
}
