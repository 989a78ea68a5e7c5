import { createHash } from 'node:crypto';
import type { ApiToken, CreatedApiToken, Room, User, UserSummary } from '@majlis/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	expectStatus,
	type Harness,
	login,
	PASSWORD,
	setup,
	signup,
	type TestUser,
} from './helper.js';

let h: Harness;
let owner: TestUser;

beforeAll(async () => {
	h = await setup();
	owner = await signup(h.app);
});
afterAll(async () => {
	await h?.close();
});

async function mint(user: TestUser, scopes: string[], botId?: string): Promise<CreatedApiToken> {
	return expectStatus<CreatedApiToken>(201, h.app, 'POST', '/api/me/tokens', {
		token: user.token,
		body: { name: `t ${scopes.join(' ')}`, scopes, ...(botId ? { botId } : {}) },
	});
}

describe('personal API tokens', () => {
	test('a token is shown once, stored as its SHA-256 only, and acts as its owner', async () => {
		const created = await mint(owner, ['read']);
		expect(created.token).toMatch(/^mj_[A-Za-z0-9_-]{43}$/);
		expect(created.apiToken).toMatchObject({ scopes: ['read'], bot: null, lastUsedAt: null });
		expect(created.token.startsWith(created.apiToken.prefix)).toBe(true);

		const rows = await sql<{
			token_hash: string;
		}>`select token_hash from api_tokens where id = ${created.apiToken.id}`.execute(h.app.db);
		expect(rows.rows[0]?.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
		const anywhere = await sql<{
			n: number;
		}>`select count(*)::int as n from api_tokens where token_hash like ${`%${created.token.slice(3)}%`}`.execute(
			h.app.db
		);
		expect(anywhere.rows[0]?.n).toBe(0);

		const me = await expectStatus<User>(200, h.app, 'GET', '/api/me', { token: created.token });
		expect(me.id).toBe(owner.user.id);
		const list = await expectStatus<{ items: ApiToken[] }>(200, h.app, 'GET', '/api/me/tokens', {
			token: owner.token,
		});
		const listed = list.items.find((t) => t.id === created.apiToken.id);
		expect(listed?.lastUsedAt).not.toBeNull();
		expect(JSON.stringify(list)).not.toContain(created.token);
	});

	test('a token without the scope a route needs gets 403; with it, the route works', async () => {
		const reader = await mint(owner, ['read']);
		const refused = await call<{ error: { code: string; message: string } }>(h.app, 'POST', '/api/rooms', {
			token: reader.token,
			body: { title: 'By a bot', visibility: 'public' },
		});
		expect(refused.status).toBe(403);
		expect(refused.body.error).toMatchObject({
			code: 'forbidden',
			message: expect.stringContaining('rooms:schedule'),
		});

		const scheduler = await mint(owner, ['rooms:schedule']);
		const room = await expectStatus<Room & { host: UserSummary }>(201, h.app, 'POST', '/api/rooms', {
			token: scheduler.token,
			body: { title: 'By a token', visibility: 'public' },
		});
		expect(room.host.id).toBe(owner.user.id);
		// Scheduling is not running: starting needs rooms:manage.
		expect(
			(await call(h.app, 'POST', `/api/rooms/${room.id}/start`, { token: scheduler.token })).status
		).toBe(403);
		// Nor reading.
		expect((await call(h.app, 'GET', '/api/me', { token: scheduler.token })).status).toBe(403);
	});

	test('a revoked token gets 401 at once; revoking twice is a 404', async () => {
		const created = await mint(owner, ['read']);
		await expectStatus(200, h.app, 'GET', '/api/me', { token: created.token });
		await expectStatus(204, h.app, 'DELETE', `/api/me/tokens/${created.apiToken.id}`, { token: owner.token });
		const res = await call<{ error: { code: string } }>(h.app, 'GET', '/api/me', { token: created.token });
		expect(res.status).toBe(401);
		expect(res.body.error.code).toBe('unauthorized');
		expect(
			(await call(h.app, 'DELETE', `/api/me/tokens/${created.apiToken.id}`, { token: owner.token })).status
		).toBe(404);
		// An unknown token of the right shape is a 401 too.
		expect((await call(h.app, 'GET', '/api/me', { token: `mj_${'A'.repeat(43)}` })).status).toBe(401);
	});

	test('routes that need the person (password, tokens, bots, join) refuse every token, whatever its scopes', async () => {
		const all = await mint(owner, ['read', 'rooms:schedule', 'rooms:manage', 'webhooks']);
		const room = await createRoom(h.app, owner.token);
		for (const [method, url, body] of [
			['POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'a new long password' }],
			['POST', '/api/me/tokens', { name: 'more', scopes: ['read'] }],
			['GET', '/api/me/tokens', undefined],
			['DELETE', `/api/me/tokens/${all.apiToken.id}`, undefined],
			['POST', '/api/me/bots', { handle: 'bot_refused', displayName: 'Refused' }],
			['POST', '/api/auth/logout-all', undefined],
			['POST', `/api/rooms/${room.id}/join`, undefined],
		] as const) {
			const res = await call<{ error: { code: string } }>(h.app, method, url, { token: all.token, body });
			expect({ method, url, status: res.status, code: res.body.error.code }).toEqual({
				method,
				url,
				status: 403,
				code: 'forbidden',
			});
		}
		// The password is unchanged: the old one still logs in.
		expect((await login(h.app, owner.user.handle)).status).toBe(200);
	});

	test('another user cannot revoke my token (404), and bad input names the field', async () => {
		const created = await mint(owner, ['read']);
		const other = await signup(h.app);
		expect(
			(await call(h.app, 'DELETE', `/api/me/tokens/${created.apiToken.id}`, { token: other.token })).status
		).toBe(404);
		await expectStatus(200, h.app, 'GET', '/api/me', { token: created.token });
		const bad = await call<{ error: { fields: Record<string, string> } }>(h.app, 'POST', '/api/me/tokens', {
			token: owner.token,
			body: { name: 'x', scopes: ['everything'] },
		});
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.error.fields)).toEqual(['scopes.0']);
		const blank = await call<{ error: { fields: Record<string, string> } }>(h.app, 'POST', '/api/me/tokens', {
			token: owner.token,
			body: { name: '\u200b', scopes: ['read'] },
		});
		expect(blank.status).toBe(400);
		expect(blank.body.error.fields).toEqual({ name: 'must contain visible characters' });
	});
});

describe('bot accounts', () => {
	test("a bot's token acts as the bot; the bot cannot log in; only its owner mints its tokens", async () => {
		const bot = await expectStatus<UserSummary>(201, h.app, 'POST', '/api/me/bots', {
			token: owner.token,
			body: { handle: `bot_${owner.user.handle.slice(2, 12)}`, displayName: 'Agenda bot' },
		});
		const created = await mint(owner, ['read', 'rooms:schedule'], bot.id);
		expect(created.apiToken.bot).toEqual(bot);
		const me = await expectStatus<User>(200, h.app, 'GET', '/api/me', { token: created.token });
		expect(me.id).toBe(bot.id);
		const room = await expectStatus<Room & { host: UserSummary }>(201, h.app, 'POST', '/api/rooms', {
			token: created.token,
			body: { title: 'Weekly agenda', visibility: 'public' },
		});
		expect(room.host.id).toBe(bot.id);

		expect((await login(h.app, bot.handle, '!bot')).status).toBe(401);
		const other = await signup(h.app);
		const stolen = await call<{ error: { fields: Record<string, string> } }>(
			h.app,
			'POST',
			'/api/me/tokens',
			{
				token: other.token,
				body: { name: 'mine now', scopes: ['read'], botId: bot.id },
			}
		);
		expect(stolen.status).toBe(400);
		expect(stolen.body.error.fields).toEqual({ botId: 'is not one of your bots' });
		const bots = await expectStatus<{ items: UserSummary[] }>(200, h.app, 'GET', '/api/me/bots', {
			token: owner.token,
		});
		expect(bots.items).toEqual([bot]);
		expect(
			(
				await expectStatus<{ items: UserSummary[] }>(200, h.app, 'GET', '/api/me/bots', {
					token: other.token,
				})
			).items
		).toEqual([]);
	});
});

describe('per-token rate limit', () => {
	test('each token has its own budget over all routes (429 with retryAfter), other tokens are unaffected', async () => {
		const app = await h.build({ rateLimits: true, limits: { apiTokenRequestsPerMinute: 3 } });
		try {
			const user = await signup(app);
			const first = (
				await expectStatus<CreatedApiToken>(201, app, 'POST', '/api/me/tokens', {
					token: user.token,
					body: { name: 'busy', scopes: ['read'] },
				})
			).token;
			const second = (
				await expectStatus<CreatedApiToken>(201, app, 'POST', '/api/me/tokens', {
					token: user.token,
					body: { name: 'calm', scopes: ['read'] },
				})
			).token;
			const statuses: number[] = [];
			for (const url of ['/api/me', '/api/rooms', `/api/users/${user.user.handle}`, '/api/me']) {
				statuses.push((await call(app, 'GET', url, { token: first })).status);
			}
			expect(statuses).toEqual([200, 200, 200, 429]);
			const limited = await call<{ error: { retryAfter: number } }>(app, 'GET', '/api/me', { token: first });
			expect(limited.body.error.retryAfter).toBeGreaterThan(0);
			expect((await call(app, 'GET', '/api/me', { token: second })).status).toBe(200);
			// The person's own session is not counted against the token.
			expect((await call(app, 'GET', '/api/me', { token: user.token })).status).toBe(200);
		} finally {
			await app.close();
		}
	});
});

describe('OpenAPI', () => {
	test('every user route states the token scope it needs (or none), and the apiToken requirement matches', async () => {
		const spec = await expectStatus<{
			paths: Record<
				string,
				Record<
					string,
					{ operationId: string; security?: Record<string, string[]>[]; 'x-token-scope'?: string }
				>
			>;
		}>(200, h.app, 'GET', '/api/openapi.json');
		const ops = Object.values(spec.paths).flatMap((p) => Object.values(p));
		const userOps = ops.filter((op) => op.security?.some((r) => 'bearerAuth' in r));
		expect(userOps.length).toBeGreaterThan(30);
		for (const op of userOps) {
			const scope = op['x-token-scope'];
			expect(scope, op.operationId).toBeDefined();
			const tokenRequirement = op.security?.find((r) => 'apiToken' in r);
			expect(tokenRequirement?.apiToken ?? ['none'], op.operationId).toEqual([scope]);
		}
		const byId = Object.fromEntries(ops.map((op) => [op.operationId, op]));
		expect(byId.createRoom?.security).toEqual([{ bearerAuth: [] }, { apiToken: ['rooms:schedule'] }]);
		expect(byId.changePassword?.['x-token-scope']).toBe('none');
		expect(byId.createApiToken?.['x-token-scope']).toBe('none');
	});
});
