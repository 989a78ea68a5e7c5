import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../../errors.js';

/** How a route authenticates callers (route `config.auth`; default `required`). */
export const AuthMode = {
	/** A user token is required (401 without one). */
	Required: 'required',
	/** A user token is used when present (a bad one is still 401). */
	Optional: 'optional',
	/** Tokens are ignored (signup, login, health). */
	None: 'none',
	/** An SFU service token is required (internal routes). */
	Service: 'service',
} as const;
/** One of {@link AuthMode}'s values. */
export type AuthMode = (typeof AuthMode)[keyof typeof AuthMode];

/** Services allowed to call internal routes. */
const SERVICES = new Set(['sfu']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

declare module 'fastify' {
	interface FastifyRequest {
		/** The signed-in user's id, or null (anonymous, or a route that ignores tokens). */
		userId: string | null;
	}
	interface FastifyContextConfig {
		/** How the route authenticates callers; default `required`. */
		auth?: AuthMode;
	}
	interface FastifyInstance {
		/** onRequest hook for user routes (reads `config.auth`). */
		authenticateUser: (request: FastifyRequest) => Promise<void>;
		/** onRequest hook for internal routes: requires an SFU service token. */
		authenticateService: (request: FastifyRequest) => Promise<void>;
	}
}

/** The signed-in user's id; throws 401 when anonymous. */
export function requireUser(request: FastifyRequest): string {
	if (request.userId === null) {
		throw new UnauthorizedError();
	}

	return request.userId;
}

/** Authentication hooks: user Bearer JWTs (checked against existing users) and SFU service tokens. */
export default fp(
	async function authentication(app: FastifyInstance) {
		app.decorateRequest('userId', null);

		app.decorate('authenticateUser', async (request: FastifyRequest) => {
			const mode = request.routeOptions.config.auth ?? AuthMode.Required;
			if (mode === AuthMode.None || mode === AuthMode.Service) {
				return;
			}
			if (request.headers.authorization === undefined) {
				if (mode === AuthMode.Required) {
					throw new UnauthorizedError();
				}

				return;
			}
			let sub: unknown;
			try {
				sub = (await request.jwtVerify<{ sub: unknown }>()).sub;
			} catch {
				throw new UnauthorizedError('invalid or expired token');
			}
			// A token may outlive its user's row (a wiped embedded database with a kept secret).
			if (typeof sub !== 'string' || !UUID.test(sub) || !(await app.usersRepository.findById(sub))) {
				throw new UnauthorizedError('invalid or expired token');
			}
			request.userId = sub;
		});

		app.decorate('authenticateService', async (request: FastifyRequest) => {
			const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
			if (!match) {
				throw new UnauthorizedError('service token required');
			}
			let service: string;
			try {
				service = await app.tokens.verifyServiceToken(match[1]!);
			} catch {
				throw new UnauthorizedError('invalid or expired service token');
			}
			if (!SERVICES.has(service)) {
				throw new UnauthorizedError('unknown service');
			}
		});
	},
	{ name: 'authentication', dependencies: ['jwt', 'users-repository'] }
);
