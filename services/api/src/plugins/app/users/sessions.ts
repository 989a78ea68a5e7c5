import { randomUUID } from 'node:crypto';
import { USER_EVENTS_CHANNEL, type UserEvent } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { found } from '../../../db/found.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Server-side sessions behind user tokens. */
		sessions: Sessions;
	}
}

// Why sessions and not short-lived access tokens with refresh: the web client keeps one bearer token and
// every authenticated request already reads the user's row, so checking a session row instead costs
// nothing more, and revocation is immediate (a refresh scheme still honours a stolen access token until it
// expires, and needs a second token and a refresh endpoint on every client). See docs/operations.md.

/** Issues, checks and revokes the sessions user tokens name (`sid`). */
export function createSessions(app: FastifyInstance) {
	const { db } = app;

	async function announce(userId: string, sessionIds: string[] | null): Promise<void> {
		const event: UserEvent = { type: 'user.sessions-revoked', data: { userId, sessionIds } };
		try {
			await app.bus.publish(USER_EVENTS_CHANNEL, JSON.stringify(event));
		} catch (error) {
			// The rows are gone, so REST already refuses the tokens; only live sockets miss the news.
			app.log.error({ err: error }, 'sessions | revocation event not published');
		}
	}

	return {
		/** Opens a session for `userId` and returns its signed user token. */
		async issue(userId: string): Promise<string> {
			// Expired rows of this user go as a new one comes: the table holds live sessions only.
			await db
				.deleteFrom('sessions')
				.where('user_id', '=', userId)
				.where('expires_at', '<', new Date())
				.execute();
			const sid = randomUUID();
			const token = app.jwt.sign({ sub: userId, sid });
			// The row lives as long as the token it backs.
			const exp = app.jwt.decode<{ exp: number }>(token)?.exp ?? 0;
			await db
				.insertInto('sessions')
				.values({ id: sid, user_id: userId, created_at: new Date(), expires_at: new Date(exp * 1000) })
				.execute();

			return token;
		},

		/** Whether session `sessionId` of `userId` is open (and its user still exists). */
		async isOpen(sessionId: string, userId: string): Promise<boolean> {
			return found(
				db
					.selectFrom('sessions')
					.select('id')
					.where('id', '=', sessionId)
					.where('user_id', '=', userId)
					.where('expires_at', '>', new Date())
			);
		},

		/** Ends one session (log-out). */
		async revoke(sessionId: string, userId: string): Promise<void> {
			await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).execute();
			await announce(userId, [sessionId]);
		},

		/** Ends every session of `userId` except `keep` (log-out everywhere; a password change keeps the caller's). */
		async revokeAll(userId: string, keep?: string): Promise<number> {
			let query = db.deleteFrom('sessions').where('user_id', '=', userId);
			if (keep !== undefined) {
				query = query.where('id', '!=', keep);
			}
			const ended = await query.returning('id').execute();
			await announce(userId, keep === undefined ? null : ended.map((r) => r.id));

			return ended.length;
		},
	};
}

/** What {@link createSessions} returns. */
export type Sessions = ReturnType<typeof createSessions>;

/** Decorates the app with `sessions`. */
export default fp(
	async function sessions(app: FastifyInstance) {
		app.decorate('sessions', createSessions(app));
	},
	{ name: 'sessions', dependencies: ['db', 'jwt', 'bus'] }
);
