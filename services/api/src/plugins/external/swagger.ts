import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { tokenScopeOf } from '../app/integrations/token-scopes.js';

/** Security scheme names used by route schemas. */
export const Security = {
	/** A user's Bearer JWT from signup/login. */
	user: [{ bearerAuth: [] }],
	/** An SFU node's service token. */
	service: [{ serviceToken: [] }],
	/** Signed in or not (`config.auth: 'optional'`): the empty requirement is anonymous access. */
	optionalUser: [{}, { bearerAuth: [] }],
	/** No credentials (`config.auth: 'none'`). */
	none: [],
} as const;

/**
 * The security of a route that declares none, from the `config.auth` the authentication plugin enforces
 * (`none`, `optional`; anything else requires a user), so the description cannot drift from the checks.
 */
function securityOf(config: unknown): readonly Record<string, readonly string[]>[] {
	const auth = (config as { auth?: string } | undefined)?.auth;

	return auth === 'none' ? Security.none : auth === 'optional' ? Security.optionalUser : Security.user;
}

/**
 * Adds what API tokens may do on a user route: the `apiToken` requirement with the scope it needs, and
 * `x-token-scope` (the scope, or `none` where tokens are refused), from the table the checks read.
 */
function withTokenScope(
	schema: Record<string, unknown>,
	security: readonly Record<string, readonly string[]>[]
) {
	if (!security.some((requirement) => 'bearerAuth' in requirement)) {
		return { ...schema, security };
	}
	const scope = tokenScopeOf(schema.operationId);

	return {
		...schema,
		security: scope ? [...security, { apiToken: [scope] }] : security,
		'x-token-scope': scope ?? 'none',
	};
}

/**
 * OpenAPI 3.1 generated from the route schemas, served at `/api/openapi.json`, with Swagger UI at
 * `/api/docs`. Registered before the routes so it sees every one of them.
 */
export default fp(
	async function swagger(app: FastifyInstance) {
		await app.register(fastifySwagger, {
			openapi: {
				openapi: '3.1.0',
				info: {
					title: 'Majlis Rooms API',
					description: 'Accounts, rooms, roles, guest lists and joining live audio rooms.',
					version: '0.1.0',
					license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
				},
				// Relative: clients call the server that served this description, wherever it is deployed.
				servers: [{ url: '/', description: 'The server that serves this description' }],
				tags: [
					{ name: 'auth', description: 'Signup and login' },
					{ name: 'users', description: 'Profiles and search' },
					{ name: 'rooms', description: 'Rooms and their lifecycle' },
					{ name: 'members', description: 'Co-hosts, moderators and guests' },
					{ name: 'integrations', description: 'API tokens, bot accounts and webhooks' },
					{
						name: 'federation',
						description: 'Sharing rooms to the fediverse (ActivityPub) and following its accounts',
					},
					{ name: 'internal', description: 'SFU → API (service token)' },
					{ name: 'meta', description: 'Health' },
				],
				components: {
					securitySchemes: {
						bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
						apiToken: {
							type: 'http',
							scheme: 'bearer',
							bearerFormat: 'mj_…',
							description:
								'A personal API token (account settings → API tokens). Each operation names the scope it needs ' +
								'in `x-token-scope`; `none` means tokens are refused there (403).',
						},
						serviceToken: {
							type: 'http',
							scheme: 'bearer',
							bearerFormat: 'JWT',
							description: 'TokenService.signServiceToken("sfu")',
						},
					},
				},
			},
			transform: ({ schema, url, route }) => ({
				schema:
					schema && !schema.hide
						? withTokenScope(
								schema as Record<string, unknown>,
								(schema.security as Record<string, string[]>[] | undefined) ?? securityOf(route.config)
							)
						: schema,
				url,
			}),
		});
		await app.register(fastifySwaggerUi, {
			routePrefix: '/api/docs',
			// Swagger UI 5 loads only same-origin scripts (no inline ones) and, with the online validator
			// badge off (the default), no foreign images: helmet's CSP fits it as is, so the docs
			// need no relaxation. Only its inline style attributes need 'unsafe-inline' in style-src,
			// which helmet's default already has.
		});
		app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
	},
	{ name: 'swagger' }
);
