import { type JoinResponse, type Room, SFU_NODES_KEY } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	registerNode,
	setup,
	signup,
	type TestUser,
	uniqueHandle,
} from './helper.js';

// The permission matrix: every mutating route (plus the guest list and join) × every kind of caller,
// with the exact status, for public and private rooms. Each cell gets a fresh room so that one
// allowed change (an end, a cancel) cannot affect the next cell.

const ACTORS = [
	'host',
	'cohost',
	'moderator',
	'speakerGuest',
	'listenerGuest',
	'outsider',
	'banned',
	'anonymous',
] as const;
type Actor = (typeof ACTORS)[number];

type Route =
	| 'PATCH room'
	| 'DELETE room'
	| 'POST start'
	| 'POST end'
	| 'PUT cohost'
	| 'DELETE cohost'
	| 'PUT moderator'
	| 'DELETE moderator'
	| 'GET guests'
	| 'PUT guest'
	| 'DELETE guest'
	| 'GET bans'
	| 'DELETE ban'
	| 'POST ban by handle'
	| 'GET moderation log'
	| 'GET reports'
	| 'PUT host'
	| 'POST join';

// Columns follow ACTORS: host, cohost, moderator, speakerGuest, listenerGuest, outsider, banned, anonymous.
const PUBLIC: Record<Route, number[]> = {
	'PATCH room': /*      */ [200, 200, 403, 403, 403, 403, 403, 401],
	'DELETE room': /*     */ [204, 403, 403, 403, 403, 403, 403, 401],
	'POST start': /*      */ [200, 200, 403, 403, 403, 403, 403, 401],
	'POST end': /*        */ [200, 403, 403, 403, 403, 403, 403, 401],
	'PUT cohost': /*      */ [204, 403, 403, 403, 403, 403, 403, 401],
	'DELETE cohost': /*   */ [204, 403, 403, 403, 403, 403, 403, 401],
	'PUT moderator': /*   */ [204, 204, 403, 403, 403, 403, 403, 401],
	'DELETE moderator': /**/ [204, 204, 403, 403, 403, 403, 403, 401],
	'GET guests': /*      */ [200, 200, 200, 403, 403, 403, 403, 401],
	'PUT guest': /*       */ [204, 204, 204, 403, 403, 403, 403, 401],
	'DELETE guest': /*    */ [204, 204, 204, 403, 403, 403, 403, 401],
	'GET bans': /*        */ [200, 200, 200, 403, 403, 403, 403, 401],
	'DELETE ban': /*      */ [204, 204, 403, 403, 403, 403, 403, 401],
	'POST ban by handle': [200, 200, 200, 403, 403, 403, 403, 401],
	'GET moderation log': [200, 200, 200, 403, 403, 403, 403, 401],
	'GET reports': /*     */ [200, 200, 200, 403, 403, 403, 403, 401],
	'PUT host': /*        */ [204, 403, 403, 403, 403, 403, 403, 401],
	// Reach (issue 14): anyone with the link listens to a public live room, account or not.
	'POST join': /*       */ [200, 200, 200, 200, 200, 200, 403, 200],
};

// Private rooms: the same, except that outsiders (banned ones included) cannot know the room exists.
const PRIVATE: Record<Route, number[]> = {
	'PATCH room': /*      */ [200, 200, 403, 403, 403, 404, 404, 401],
	'DELETE room': /*     */ [204, 403, 403, 403, 403, 404, 404, 401],
	'POST start': /*      */ [200, 200, 403, 403, 403, 404, 404, 401],
	'POST end': /*        */ [200, 403, 403, 403, 403, 404, 404, 401],
	'PUT cohost': /*      */ [204, 403, 403, 403, 403, 404, 404, 401],
	'DELETE cohost': /*   */ [204, 403, 403, 403, 403, 404, 404, 401],
	'PUT moderator': /*   */ [204, 204, 403, 403, 403, 404, 404, 401],
	'DELETE moderator': /**/ [204, 204, 403, 403, 403, 404, 404, 401],
	'GET guests': /*      */ [200, 200, 200, 403, 403, 404, 404, 401],
	'PUT guest': /*       */ [204, 204, 204, 403, 403, 404, 404, 401],
	'DELETE guest': /*    */ [204, 204, 204, 403, 403, 404, 404, 401],
	'GET bans': /*        */ [200, 200, 200, 403, 403, 404, 404, 401],
	'DELETE ban': /*      */ [204, 204, 403, 403, 403, 404, 404, 401],
	'POST ban by handle': [200, 200, 200, 403, 403, 404, 404, 401],
	'GET moderation log': [200, 200, 200, 403, 403, 404, 404, 401],
	'GET reports': /*     */ [200, 200, 200, 403, 403, 404, 404, 401],
	'PUT host': /*        */ [204, 403, 403, 403, 403, 404, 404, 401],
	'POST join': /*       */ [200, 200, 200, 200, 200, 404, 404, 401],
};

const EXPECTED_CODES: Record<number, string> = {
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
};

/** Role each actor joins with. */
const JOIN_ROLES: Partial<Record<Actor, string>> = {
	host: 'host',
	cohost: 'cohost',
	moderator: 'moderator',
	speakerGuest: 'speaker',
	listenerGuest: 'listener',
	outsider: 'listener',
	anonymous: 'listener',
};

let h: Harness;
const users = {} as Record<Exclude<Actor, 'anonymous'> | 'target', TestUser>;
// A deployment admin (MAJLIS_ADMINS), for the account routes of #15 below.
const ADMIN_HANDLE = uniqueHandle('admin');

beforeAll(async () => {
	h = await setup({ bus: createTestBus(14), adminHandles: [ADMIN_HANDLE] });
	await registerNode(h.bus);
	for (const name of [...ACTORS.filter((a) => a !== 'anonymous'), 'target'] as const) {
		users[name] = await signup(h.app);
	}
});
afterAll(async () => {
	await h?.bus.del(SFU_NODES_KEY);
	await h?.close();
});

/** A fresh room with every role in place; live when the route needs it. */
async function roomFor(visibility: 'public' | 'private', live: boolean): Promise<Room> {
	const host = users.host.token;
	const room = await createRoom(h.app, host, { visibility });
	const base = `/api/rooms/${room.id}`;
	await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${users.cohost.user.id}`, { token: host });
	await expectStatus(204, h.app, 'PUT', `${base}/moderators/${users.moderator.user.id}`, { token: host });
	await expectStatus(204, h.app, 'PUT', `${base}/guests/${users.speakerGuest.user.id}`, {
		token: host,
		body: { kind: 'speaker' },
	});
	await expectStatus(204, h.app, 'PUT', `${base}/guests/${users.listenerGuest.user.id}`, {
		token: host,
		body: { kind: 'listener' },
	});
	// A removal, as the SFU records it.
	await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/bans`, {
		token: await h.app.tokens.signServiceToken('sfu'),
		body: { userId: users.banned.user.id, by: users.host.user.id },
	});
	if (live) {
		await expectStatus(200, h.app, 'POST', `${base}/start`, { token: host });
	}

	return room;
}

function request(
	route: Route,
	roomId: string
): { method: string; url: string; body?: unknown; live: boolean } {
	const base = `/api/rooms/${roomId}`;
	switch (route) {
		case 'PATCH room': {
			return { method: 'PATCH', url: base, body: { title: 'Changed' }, live: false };
		}
		case 'DELETE room': {
			return { method: 'DELETE', url: base, live: false };
		}
		case 'POST start': {
			return { method: 'POST', url: `${base}/start`, live: false };
		}
		case 'POST end': {
			return { method: 'POST', url: `${base}/end`, live: true };
		}
		case 'PUT cohost': {
			return { method: 'PUT', url: `${base}/cohosts/${users.target.user.id}`, live: false };
		}
		case 'DELETE cohost': {
			return { method: 'DELETE', url: `${base}/cohosts/${users.cohost.user.id}`, live: false };
		}
		case 'PUT moderator': {
			return { method: 'PUT', url: `${base}/moderators/${users.target.user.id}`, live: false };
		}
		case 'DELETE moderator': {
			return { method: 'DELETE', url: `${base}/moderators/${users.moderator.user.id}`, live: false };
		}
		case 'GET guests': {
			return { method: 'GET', url: `${base}/guests`, live: false };
		}
		case 'PUT guest': {
			return {
				method: 'PUT',
				url: `${base}/guests/${users.target.user.id}`,
				body: { kind: 'listener' },
				live: false,
			};
		}
		case 'DELETE guest': {
			return { method: 'DELETE', url: `${base}/guests/${users.listenerGuest.user.id}`, live: false };
		}
		case 'GET bans': {
			return { method: 'GET', url: `${base}/bans`, live: false };
		}
		case 'DELETE ban': {
			return { method: 'DELETE', url: `${base}/bans/${users.banned.user.id}`, live: false };
		}
		case 'POST ban by handle': {
			return {
				method: 'POST',
				url: `${base}/bans/by-handle`,
				body: { handle: users.target.user.handle, reason: 'matrix' },
				live: false,
			};
		}
		case 'GET moderation log': {
			return { method: 'GET', url: `${base}/moderation-log`, live: false };
		}
		case 'GET reports': {
			return { method: 'GET', url: `${base}/reports`, live: false };
		}
		case 'PUT host': {
			return { method: 'PUT', url: `${base}/host`, body: { userId: users.cohost.user.id }, live: true };
		}
		case 'POST join': {
			return { method: 'POST', url: `${base}/join`, live: true };
		}
	}
}

for (const [visibility, table] of [
	['public', PUBLIC],
	['private', PRIVATE],
] as const) {
	describe(`${visibility} room`, () => {
		const cells = (Object.keys(table) as Route[]).flatMap((route) =>
			ACTORS.map((actor, i) => [route, actor, table[route][i]!] as const)
		);
		test.each(cells)('%s as %s → %i', async (route, actor, status) => {
			const probe = request(route, 'x');
			const room = await roomFor(visibility, probe.live);
			const { method, url, body } = request(route, room.id);
			const token = actor === 'anonymous' ? undefined : users[actor].token;
			const res = await call<{ error?: { code: string } } & Partial<JoinResponse> & Partial<Room>>(
				h.app,
				method as 'GET',
				url,
				{ token, body }
			);
			expect(res.status).toBe(status);
			if (status >= 400) {
				const code =
					actor === 'banned' && route === 'POST join' && status === 403 ? 'banned' : EXPECTED_CODES[status];
				expect(res.body.error?.code).toBe(code);
			} else if (route === 'POST join') {
				expect(res.body.role).toBe(JOIN_ROLES[actor]);
			} else if (route === 'PATCH room') {
				expect(res.body.title).toBe('Changed');
			}
		});
	});
}

describe('bans', () => {
	test('the ban list names who was removed and by whom; after an unban the person may join again', async () => {
		const room = await roomFor('public', true);
		const base = `/api/rooms/${room.id}`;
		const list = await expectStatus<{ items: { user: { id: string }; bannedBy: { id: string } | null }[] }>(
			200,
			h.app,
			'GET',
			`${base}/bans`,
			{ token: users.moderator.token }
		);
		expect(list.items).toEqual([
			expect.objectContaining({
				user: expect.objectContaining({ id: users.banned.user.id }),
				bannedBy: expect.objectContaining({ id: users.host.user.id }),
				bannedAt: expect.any(String),
			}),
		]);
		expect((await call(h.app, 'POST', `${base}/join`, { token: users.banned.token })).status).toBe(403);
		await expectStatus(204, h.app, 'DELETE', `${base}/bans/${users.banned.user.id}`, {
			token: users.cohost.token,
		});
		// Idempotent.
		await expectStatus(204, h.app, 'DELETE', `${base}/bans/${users.banned.user.id}`, {
			token: users.host.token,
		});
		expect((await call(h.app, 'POST', `${base}/join`, { token: users.banned.token })).status).toBe(200);
		expect(
			(
				await expectStatus<{ items: unknown[] }>(200, h.app, 'GET', `${base}/bans`, {
					token: users.host.token,
				})
			).items
		).toEqual([]);
	});

	test('bad ids get a 400 naming the field', async () => {
		const room = await roomFor('public', false);
		const res = await call<{ error: { fields?: Record<string, string> } }>(
			h.app,
			'DELETE',
			`/api/rooms/${room.id}/bans/not-a-uuid`,
			{ token: users.host.token }
		);
		expect(res.status).toBe(400);
		expect(res.body.error.fields).toEqual({ userId: 'must be a UUID' });
	});
});

// ─── #15 account routes: reports, blocks, the admins' report queue ──────────────────────────────────
// Not tied to a room's roles: any signed-in person reports and blocks; only the deployment's admins see
// the global queue and resolve reports, whatever their roles in rooms (room staff are not admins). Each
// cell files a fresh report on a fresh person, and checks the state afterwards: changed when allowed,
// unchanged when refused.

const ACCOUNT_ACTORS = ['admin', 'host', 'moderator', 'outsider', 'banned', 'anonymous'] as const;
type AccountActor = (typeof ACCOUNT_ACTORS)[number];
type AccountRoute =
	| 'POST report'
	| 'GET blocks'
	| 'PUT block'
	| 'DELETE block'
	| 'GET admin reports'
	| 'POST resolve (dismiss)'
	| 'POST resolve (suspend)';

// Columns follow ACCOUNT_ACTORS: admin, host, moderator, outsider, banned, anonymous.
const ACCOUNT: Record<AccountRoute, number[]> = {
	'POST report': /*            */ [201, 201, 201, 201, 201, 401],
	'GET blocks': /*             */ [200, 200, 200, 200, 200, 401],
	'PUT block': /*              */ [204, 204, 204, 204, 204, 401],
	'DELETE block': /*           */ [204, 204, 204, 204, 204, 401],
	'GET admin reports': /*      */ [200, 403, 403, 403, 403, 401],
	'POST resolve (dismiss)': /* */ [204, 403, 403, 403, 403, 401],
	'POST resolve (suspend)': /* */ [204, 403, 403, 403, 403, 401],
};

describe('account routes (#15)', () => {
	let admin: TestUser;

	beforeAll(async () => {
		admin = await signup(h.app, { handle: ADMIN_HANDLE });
	});

	function tokenOf(actor: AccountActor): string | undefined {
		if (actor === 'anonymous') {
			return undefined;
		}

		return actor === 'admin' ? admin.token : users[actor].token;
	}

	/** The open reports the admins see. */
	async function openReports(): Promise<string[]> {
		const list = await expectStatus<{ items: { id: string }[] }>(200, h.app, 'GET', '/api/admin/reports', {
			token: admin.token,
		});

		return list.items.map((r) => r.id);
	}

	async function blocked(actor: AccountActor, target: TestUser): Promise<boolean> {
		const token = tokenOf(actor);
		if (!token) {
			return false;
		}
		const list = await expectStatus<{ items: { id: string }[] }>(200, h.app, 'GET', '/api/me/blocks', {
			token,
		});

		return list.items.some((u) => u.id === target.user.id);
	}

	const cells = (Object.keys(ACCOUNT) as AccountRoute[]).flatMap((route) =>
		ACCOUNT_ACTORS.map((actor, i) => [route, actor, ACCOUNT[route][i]!] as const)
	);
	test.each(cells)('%s as %s → %i', async (route, actor, status) => {
		// A fresh person, reported by someone else in a room, for every cell.
		const target = await signup(h.app);
		const room = await createRoom(h.app, users.host.token);
		const report = await expectStatus<{ id: string }>(201, h.app, 'POST', '/api/reports', {
			token: users.target.token,
			body: { userId: target.user.id, roomId: room.id, reason: 'matrix' },
		});
		if (route === 'DELETE block' && actor !== 'anonymous') {
			await expectStatus(204, h.app, 'PUT', `/api/me/blocks/${target.user.id}`, { token: tokenOf(actor) });
		}
		const request = {
			'POST report': {
				method: 'POST',
				url: '/api/reports',
				body: { userId: target.user.id, roomId: room.id, reason: 'spam' },
			},
			'GET blocks': { method: 'GET', url: '/api/me/blocks' },
			'PUT block': { method: 'PUT', url: `/api/me/blocks/${target.user.id}` },
			'DELETE block': { method: 'DELETE', url: `/api/me/blocks/${target.user.id}` },
			'GET admin reports': { method: 'GET', url: '/api/admin/reports' },
			'POST resolve (dismiss)': {
				method: 'POST',
				url: `/api/admin/reports/${report.id}/resolve`,
				body: { action: 'dismiss' },
			},
			'POST resolve (suspend)': {
				method: 'POST',
				url: `/api/admin/reports/${report.id}/resolve`,
				body: { action: 'suspend' },
			},
		}[route];
		const reportsBefore = await openReports();
		const blockedBefore = await blocked(actor, target);

		const res = await call<{ error?: { code: string }; items?: { id: string }[] }>(
			h.app,
			request.method as 'GET',
			request.url,
			{ token: tokenOf(actor), body: 'body' in request ? request.body : undefined }
		);
		expect(res.status).toBe(status);
		if (status >= 400) {
			expect(res.body.error?.code).toBe(EXPECTED_CODES[status]);
		}

		// What changed, and that a refusal changed nothing.
		const reportsAfter = await openReports();
		const me = await call(h.app, 'GET', '/api/me', { token: target.token });
		if (route === 'POST report' && status === 201) {
			expect(reportsAfter.length).toBe(reportsBefore.length + 1);
		} else if (route.startsWith('POST resolve') && status === 204) {
			expect(reportsAfter).not.toContain(report.id);
		} else {
			expect(reportsAfter).toEqual(reportsBefore);
		}
		// Only an admin's suspension ends the reported person's session.
		expect(me.status).toBe(route === 'POST resolve (suspend)' && status === 204 ? 401 : 200);
		if (route === 'PUT block' || route === 'DELETE block') {
			expect(await blocked(actor, target)).toBe(status === 204 ? route === 'PUT block' : blockedBefore);
		}
		if (route === 'GET admin reports' && status === 200) {
			expect(res.body.items?.map((r) => r.id)).toContain(report.id);
		}
	});
});

// Integrations: API tokens and bot accounts. Columns: the owner (a session), another user, an API token of
// the owner holding every scope, anonymous. Tokens and bots are managed by the person only.
describe('API tokens and bots', () => {
	type TokenRoute =
		| 'GET tokens'
		| 'POST token'
		| 'DELETE token'
		| 'GET bots'
		| 'POST bot'
		| 'POST webhook'
		| 'POST webhook test'
		| 'GET webhook deliveries'
		| 'DELETE webhook';
	const TOKEN_ACTORS = ['owner', 'other', 'apiToken', 'anonymous'] as const;
	const TOKEN_MATRIX: Record<TokenRoute, number[]> = {
		'GET tokens': /*  */ [200, 200, 403, 401],
		'POST token': /*  */ [201, 201, 403, 401],
		'DELETE token': /**/ [204, 404, 403, 401],
		'GET bots': /*    */ [200, 200, 200, 401],
		'POST bot': /*    */ [201, 201, 403, 401],
		// Webhooks: the owner's own, or another user's (404: endpoints of others are invisible).
		'POST webhook': /*          */ [201, 201, 201, 401],
		'POST webhook test': /*     */ [202, 404, 202, 401],
		'GET webhook deliveries': /**/ [200, 404, 200, 401],
		'DELETE webhook': /*        */ [204, 404, 204, 401],
	};
	const cells = (Object.keys(TOKEN_MATRIX) as TokenRoute[]).flatMap((route) =>
		TOKEN_ACTORS.map((actor, i) => [route, actor, TOKEN_MATRIX[route][i]!] as const)
	);
	let n = 0;
	test.each(cells)('%s as %s → %i', async (route, actor, status) => {
		const owner = users.host;
		const minted = await expectStatus<{ token: string; apiToken: { id: string } }>(
			201,
			h.app,
			'POST',
			'/api/me/tokens',
			{
				token: owner.token,
				body: { name: 'matrix', scopes: ['read', 'rooms:schedule', 'rooms:manage', 'webhooks'] },
			}
		);
		// TEST-NET-1: a public address (accepted) where nothing answers.
		const hook = await expectStatus<{ webhook: { id: string } }>(201, h.app, 'POST', '/api/me/webhooks', {
			token: owner.token,
			body: { url: 'https://192.0.2.1/hook', events: ['room.started'] },
		});
		const token =
			actor === 'owner'
				? owner.token
				: actor === 'other'
					? users.outsider.token
					: actor === 'apiToken'
						? minted.token
						: undefined;
		n += 1;
		const { method, url, body } = {
			'GET tokens': { method: 'GET', url: '/api/me/tokens', body: undefined },
			'POST token': { method: 'POST', url: '/api/me/tokens', body: { name: 'x', scopes: ['read'] } },
			'DELETE token': { method: 'DELETE', url: `/api/me/tokens/${minted.apiToken.id}`, body: undefined },
			'GET bots': { method: 'GET', url: '/api/me/bots', body: undefined },
			'POST bot': {
				method: 'POST',
				url: '/api/me/bots',
				body: { handle: `mbot_${n}_${Date.now().toString(36)}`, displayName: 'Matrix bot' },
			},
			'POST webhook': {
				method: 'POST',
				url: '/api/me/webhooks',
				body: { url: 'https://192.0.2.1/other', events: ['room.ended'] },
			},
			'POST webhook test': {
				method: 'POST',
				url: `/api/me/webhooks/${hook.webhook.id}/test`,
				body: undefined,
			},
			'GET webhook deliveries': {
				method: 'GET',
				url: `/api/me/webhooks/${hook.webhook.id}/deliveries`,
				body: undefined,
			},
			'DELETE webhook': { method: 'DELETE', url: `/api/me/webhooks/${hook.webhook.id}`, body: undefined },
		}[route];
		const res = await call<{ error?: { code: string } }>(h.app, method as 'GET', url, { token, body });
		expect(res.status).toBe(status);
		if (status >= 400) {
			expect(res.body.error?.code).toBe(EXPECTED_CODES[status]);
		}
	});
});
// Reach (issue 14): person-scoped routes. Columns: self, another person, anonymous, unknown handle.
describe('follows', () => {
	const FOLLOWS: Record<'PUT follow' | 'DELETE follow', number[]> = {
		'PUT follow': /*    */ [409, 204, 401, 404],
		'DELETE follow': /* */ [204, 204, 401, 404],
	};
	for (const [route, statuses] of Object.entries(FOLLOWS)) {
		const method = route.split(' ')[0] as 'PUT' | 'DELETE';
		test.each([
			['self', statuses[0]],
			['other', statuses[1]],
			['anonymous', statuses[2]],
			['unknown', statuses[3]],
		] as const)(`${route} as %s → %i`, async (who, status) => {
			const handle =
				who === 'self'
					? users.outsider.user.handle
					: who === 'unknown'
						? 'nobody_here'
						: users.host.user.handle;
			const token = who === 'anonymous' ? undefined : users.outsider.token;
			const res = await call<{ error?: { code: string } }>(h.app, method, `/api/users/${handle}/follow`, {
				token,
			});
			expect(res.status).toBe(status);
		});
	}
});

// Reach (issue 14, part B): reminders and the room's calendar, per actor (columns as ACTORS); the
// person-scoped notification, push and calendar-feed routes need a signed-in caller.
describe('reminders and calendars', () => {
	type ReachRoute =
		| 'GET reminder'
		| 'PUT reminder'
		| 'DELETE reminder'
		| 'GET calendar'
		| 'PUT series'
		// Share cards (#14).
		| 'GET card'
		// Embeddable player (#18): oEmbed judges every caller as a stranger (consumers send no session).
		| 'GET oembed';
	const TABLES: Record<'public' | 'private', Record<ReachRoute, number[]>> = {
		public: {
			'GET reminder': /*    */ [200, 200, 200, 200, 200, 200, 200, 401],
			'PUT reminder': /*    */ [200, 200, 200, 200, 200, 200, 200, 401],
			'DELETE reminder': /* */ [200, 200, 200, 200, 200, 200, 200, 401],
			'GET calendar': /*    */ [200, 200, 200, 200, 200, 200, 200, 200],
			'PUT series': /*      */ [200, 403, 403, 403, 403, 403, 403, 401],
			// Share cards (#14): anyone may fetch a public room's card.
			'GET card': /*        */ [200, 200, 200, 200, 200, 200, 200, 200],
			'GET oembed': /*      */ [200, 200, 200, 200, 200, 200, 200, 200],
		},
		private: {
			'GET reminder': /*    */ [200, 200, 200, 200, 200, 404, 404, 401],
			'PUT reminder': /*    */ [200, 200, 200, 200, 200, 404, 404, 401],
			'DELETE reminder': /* */ [200, 200, 200, 200, 200, 404, 404, 401],
			'GET calendar': /*    */ [200, 200, 200, 200, 200, 404, 404, 404],
			'PUT series': /*      */ [200, 403, 403, 403, 403, 404, 404, 401],
			// Share cards (#14): a private room's card only for who may see the room.
			'GET card': /*        */ [200, 200, 200, 200, 200, 404, 404, 404],
			'GET oembed': /*      */ [404, 404, 404, 404, 404, 404, 404, 404],
		},
	};
	for (const visibility of ['public', 'private'] as const) {
		const cells = (Object.keys(TABLES[visibility]) as ReachRoute[]).flatMap((route) =>
			ACTORS.map((actor, i) => [route, actor, TABLES[visibility][route][i]!] as const)
		);
		test.each(cells)(`${visibility}: %s as %s → %i`, async (route, actor, status) => {
			const room = await roomFor(visibility, false);
			const [method, what] = route.split(' ') as ['GET' | 'PUT' | 'DELETE', string];
			const url =
				what === 'calendar'
					? `/api/rooms/${room.id}/calendar.ics`
					: what === 'card'
						? `/api/rooms/${room.id}/card.png`
						: what === 'oembed'
							? `/api/oembed?url=${encodeURIComponent(`http://localhost/rooms/${room.id}`)}`
							: `/api/rooms/${room.id}/${what}`;
			if (what === 'series') {
				// A repeating room needs a start time.
				await expectStatus(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
					token: users.host.token,
					body: { scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
				});
			}
			const token = actor === 'anonymous' ? undefined : users[actor].token;
			const body = what === 'series' ? { everyDays: 7, count: 2 } : undefined;
			const res = await call<{ error?: { code: string }; count?: number | null }>(h.app, method, url, {
				token,
				body,
			});
			expect(res.status).toBe(status);
			if (status >= 400) {
				expect(res.body.error?.code).toBe(EXPECTED_CODES[status]);
			} else if (what === 'reminder') {
				// Only the room's staff see how many asked.
				const staff = actor === 'host' || actor === 'cohost' || actor === 'moderator';
				expect(res.body.count === null).toBe(!staff);
			}
		});
	}

	test.each([
		['GET', '/api/me/notifications'],
		['GET', '/api/me/notifications/stream'],
		['POST', '/api/me/notifications/read-all'],
		['POST', '/api/me/notifications/00000000-0000-4000-8000-000000000000/read'],
		['GET', '/api/me/notification-preferences'],
		['PUT', '/api/me/notification-preferences'],
		['PUT', '/api/me/push-subscriptions'],
		['DELETE', '/api/me/push-subscriptions'],
		['GET', '/api/me/calendar-feed'],
		['POST', '/api/me/calendar-feed'],
		['DELETE', '/api/me/calendar-feed'],
		['GET', '/api/me/for-you'],
	] as const)('%s %s needs a signed-in caller', async (method, url) => {
		const res = await call<{ error?: { code: string } }>(h.app, method, url);
		expect(res.status).toBe(401);
		expect(res.body.error?.code).toBe('unauthorized');
	});
});

// Reach (issue 14): the caller's own account. Columns: signed in, anonymous. Only the account's owner
// can reach these (there is no :id to name someone else's), so the matrix is the caller's presence.
describe('own account', () => {
	const OWN: Record<string, { method: 'PATCH' | 'DELETE'; url: string; body?: unknown; statuses: number[] }> =
		{
			'PATCH me': { method: 'PATCH', url: '/api/me', body: { bio: 'hello' }, statuses: [200, 401] },
			'DELETE avatar': { method: 'DELETE', url: '/api/me/avatar', statuses: [204, 401] },
			// A wrong password is refused (400) even for the owner; the right one deletes (account-deletion tests).
			'DELETE me (wrong password)': {
				method: 'DELETE',
				url: '/api/me',
				body: { password: 'not the password' },
				statuses: [400, 401],
			},
		};
	for (const [route, { method, url, body, statuses }] of Object.entries(OWN)) {
		test.each([
			['signed in', statuses[0]],
			['anonymous', statuses[1]],
		] as const)(`${route} as %s → %i`, async (who, status) => {
			const token = who === 'anonymous' ? undefined : users.target.token;
			expect((await call(h.app, method, url, { token, body })).status).toBe(status);
		});
	}
});

// Share cards (#14): a profile's card is public like the profile; an unknown handle is a 404.
describe('profile share cards', () => {
	test.each([
		['signed in', 200],
		['anonymous', 200],
	] as const)('GET /api/users/:handle/card.png as %s → %i', async (who, status) => {
		const token = who === 'anonymous' ? undefined : users.outsider.token;
		expect((await call(h.app, 'GET', `/api/users/${users.target.user.handle}/card.png`, { token })).status).toBe(status);
	});
	test('GET /api/users/:handle/card.png of no one → 404', async () => {
		expect((await call(h.app, 'GET', '/api/users/no_such_person_here/card.png')).status).toBe(404);
	});
});
