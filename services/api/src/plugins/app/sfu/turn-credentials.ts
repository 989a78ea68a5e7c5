import { createHmac } from 'node:crypto';
import type { IceServer } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TurnSettings } from '../../../turn.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Short-lived TURN credentials for one user; empty when no TURN relay is configured. */
		turnCredentials: (userId: string) => IceServer[];
	}
}

/**
 * One credential in coturn's TURN REST scheme (`use-auth-secret`): the username is
 * `<expiry unix seconds>:<userId>` and the password base64(HMAC-SHA1(secret, username)). coturn derives
 * the same password from the username and refuses it after the expiry, so nothing is stored anywhere.
 */
export function turnCredential(settings: TurnSettings, userId: string, nowMs: number): IceServer {
	const username = `${Math.floor(nowMs / 1000) + settings.ttlSeconds}:${userId}`;
	const credential = createHmac('sha1', settings.secret).update(username).digest('base64');

	return { urls: [...settings.urls], username, credential };
}

/** Decorates the app with `turnCredentials` from the `turn` option (TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS). */
export default fp(
	async function turnCredentials(app: FastifyInstance, opts: { turn?: TurnSettings }) {
		const settings = opts.turn;
		app.decorate('turnCredentials', (userId: string) =>
			settings ? [turnCredential(settings, userId, Date.now())] : []
		);
	},
	{ name: 'turn-credentials' }
);
