import fastifyJwt from '@fastify/jwt';
import { createTokenService, type TokenService } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiOptions } from '../../options.js';

/** JWT issuer of every Majlis token. */
export const TOKEN_ISSUER = 'majlis';
/** JWT audience of user tokens; tickets and service tokens carry other audiences, so they never pass as one. */
export const USER_TOKEN_AUDIENCE = 'majlis:api';

declare module 'fastify' {
	interface FastifyInstance {
		/** Join tickets (API → SFU) and service tokens (SFU → API). */
		tokens: TokenService;
	}
}

declare module '@fastify/jwt' {
	interface FastifyJWT {
		/** `sid`: the server-side session the token belongs to (see plugins/app/users/sessions.ts). */
		payload: { sub: string; sid: string };
		user: { sub: string; sid?: string };
	}
}

/** User tokens (@fastify/jwt, HS256, with expiry; the secret stays in the API) and the TokenService. */
export default fp(
	async function jwt(app: FastifyInstance, opts: ApiOptions) {
		if (Buffer.byteLength(opts.jwtSecret) < 32) {
			throw new TypeError('jwtSecret must be at least 32 bytes');
		}
		await app.register(fastifyJwt, {
			secret: opts.jwtSecret,
			sign: {
				algorithm: 'HS256',
				expiresIn: opts.userTokenTtl ?? '7d',
				iss: TOKEN_ISSUER,
				aud: USER_TOKEN_AUDIENCE,
			},
			verify: { algorithms: ['HS256'], allowedIss: TOKEN_ISSUER, allowedAud: USER_TOKEN_AUDIENCE },
		});
		if (opts.tokenKeys && opts.tokenKeys.serviceSecret === opts.jwtSecret) {
			// Nodes hold the service secret: were it the user-token secret, a node could mint user tokens.
			throw new TypeError('the service secret must differ from the user-token secret');
		}
		app.decorate('tokens', createTokenService(opts.tokenKeys ?? opts.jwtSecret));
	},
	{ name: 'jwt' }
);
