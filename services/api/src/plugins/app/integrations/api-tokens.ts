import { createHash, randomBytes } from 'node:crypto';
import { API_TOKEN_PREFIX, type ApiScope, type ApiToken } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Personal API tokens. */
		apiTokens: ApiTokens;
	}
}

/** A token that authenticated a request. */
export interface VerifiedApiToken {
	id: string;
	/** Whom it acts as (its owner, or the owner's bot). */
	userId: string;
	scopes: ApiScope[];
}

/** Shown before the secret in listings: `mj_` and 6 characters. */
const PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;
/** Last-used times are written at most this often per token, so busy bots do not write on every call. */
const TOUCH_EVERY_MS = 60_000;

// Why SHA-256 and not argon2 like passwords: a token is 256 random bits, so there is no dictionary to try
// and no brute force that could succeed; a slow hash only protects guessable secrets, and would cost every
// API call tens of milliseconds. A fast hash still keeps a database leak from handing out usable tokens,
// and the lookup is by the hash (an index probe, no timing side channel on the secret).
function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Creates, lists, revokes and verifies API tokens. */
export function createApiTokens(db: Kysely<DB>) {
	function listQuery() {
		return db
			.selectFrom('api_tokens as t')
			.innerJoin('users as u', 'u.id', 't.user_id')
			.select([
				't.id',
				't.name',
				't.scopes',
				't.prefix',
				't.created_at',
				't.last_used_at',
				't.owner_id',
				'u.id as user_id',
				'u.handle',
				'u.display_name',
			]);
	}
	type Row = Awaited<ReturnType<ReturnType<typeof listQuery>['executeTakeFirstOrThrow']>>;
	const toApiToken = (row: Row): ApiToken => ({
		id: row.id,
		name: row.name,
		scopes: row.scopes as ApiScope[],
		prefix: row.prefix,
		bot:
			row.user_id === row.owner_id
				? null
				: { id: row.user_id, handle: row.handle, displayName: row.display_name },
		createdAt: row.created_at.toISOString(),
		lastUsedAt: row.last_used_at?.toISOString() ?? null,
	});

	return {
		/** A new token for `userId` (the owner or their bot), owned by `ownerId`; the secret is returned once. */
		async create(values: {
			ownerId: string;
			userId: string;
			name: string;
			scopes: ApiScope[];
		}): Promise<{ token: string; apiToken: ApiToken }> {
			const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
			const { id } = await db
				.insertInto('api_tokens')
				.values({
					user_id: values.userId,
					owner_id: values.ownerId,
					name: values.name,
					token_hash: hashToken(token),
					prefix: token.slice(0, PREFIX_LENGTH),
					scopes: values.scopes,
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const row = await listQuery().where('t.id', '=', id).executeTakeFirstOrThrow();

			return { token, apiToken: toApiToken(row) };
		},

		/** The tokens `ownerId` made (for themself and for their bots), newest first. */
		async list(ownerId: string): Promise<ApiToken[]> {
			const rows = await listQuery()
				.where('t.owner_id', '=', ownerId)
				.orderBy('t.created_at', 'desc')
				.execute();

			return rows.map(toApiToken);
		},

		/** Deletes token `id` of `ownerId`; false when there is none. */
		async revoke(ownerId: string, id: string): Promise<boolean> {
			const result = await db
				.deleteFrom('api_tokens')
				.where('id', '=', id)
				.where('owner_id', '=', ownerId)
				.executeTakeFirst();

			return result.numDeletedRows > 0n;
		},

		/** The live token `token` is, or null (unknown, revoked, or its user suspended); records its use. */
		async verify(token: string): Promise<VerifiedApiToken | null> {
			if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) {
				return null;
			}
			const row = await db
				.selectFrom('api_tokens as t')
				.innerJoin('users as u', 'u.id', 't.user_id')
				.innerJoin('users as o', 'o.id', 't.owner_id')
				.select(['t.id', 't.user_id', 't.scopes', 't.last_used_at'])
				.where('t.token_hash', '=', hashToken(token))
				// A suspended owner's bots are suspended with them.
				.where('u.suspended_at', 'is', null)
				.where('o.suspended_at', 'is', null)
				.executeTakeFirst();
			if (!row) {
				return null;
			}
			if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
				await db
					.updateTable('api_tokens')
					.set({ last_used_at: sql`now()` })
					.where('id', '=', row.id)
					.execute();
			}

			return { id: row.id, userId: row.user_id, scopes: row.scopes as ApiScope[] };
		},
	};
}

/** What {@link createApiTokens} returns. */
export type ApiTokens = ReturnType<typeof createApiTokens>;

/** Decorates the app with `apiTokens`. */
export default fp(
	async function apiTokens(app: FastifyInstance) {
		app.decorate('apiTokens', createApiTokens(app.db));
	},
	{ name: 'api-tokens', dependencies: ['db'] }
);
