import { API_TOKEN_PREFIX } from '@majlis/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import { tokenScopeOf } from './integrations/token-scopes.js';

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
		/** The session the caller's token belongs to, or null (anonymous, or an API token). */
		sessionId: string | null;
		/** The API token (`mj_…`) the caller used, or null (a user JWT, or anonymous). */
		apiTokenId: string | null;
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
		app.decorateRequest('sessionId', null);
		app.decorateRequest('apiTokenId', null);

		// A personal API token: live (not revoked), and holding the scope this route needs; routes that
		// name no scope refuse tokens (token-scopes.ts says why).
		async function authenticateApiToken(request: FastifyRequest, bearer: string): Promise<void> {
			const token = await app.apiTokens.verify(bearer);
			if (token === null) {
				throw new UnauthorizedError('invalid or revoked API token');
			}
			const scope = tokenScopeOf(
				(request.routeOptions.schema as { operationId?: unknown } | undefined)?.operationId
			);
			if (scope === undefined) {
				throw new ForbiddenError('API tokens cannot be used here; sign in');
			}
			if (!token.scopes.includes(scope)) {
				throw new ForbiddenError(`this API token lacks the "${scope}" scope`);
			}
			request.userId = token.userId;
			request.apiTokenId = token.id;
		}

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
			const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization)?.[1];
			if (bearer?.startsWith(API_TOKEN_PREFIX)) {
				await authenticateApiToken(request, bearer);

				return;
			}
			let claims: { sub?: unknown; sid?: unknown };
			try {
				claims = await request.jwtVerify<{ sub: unknown; sid: unknown }>();
			} catch {
				throw new UnauthorizedError('invalid or expired token');
			}
			const { sub, sid } = claims;
			// The session row is the server's word: gone after log-out, log-out everywhere or a password
			// change, and with its user (a token may outlive a wiped embedded database with a kept secret).
			if (
				typeof sub !== 'string' ||
				typeof sid !== 'string' ||
				!UUID.test(sub) ||
				!UUID.test(sid) ||
				!(await app.sessions.isOpen(sid, sub))
			) {
				throw new UnauthorizedError('invalid or expired token');
			}
			request.userId = sub;
			request.sessionId = sid;
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
	{ name: 'authentication', dependencies: ['jwt', 'users-repository', 'sessions', 'api-tokens'] }
);
