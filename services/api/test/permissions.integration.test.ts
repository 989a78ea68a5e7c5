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

beforeAll(async () => {
	h = await setup({ bus: createTestBus(14) });
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
	type ReachRoute = 'GET reminder' | 'PUT reminder' | 'DELETE reminder' | 'GET calendar' | 'PUT series';
	const TABLES: Record<'public' | 'private', Record<ReachRoute, number[]>> = {
		public: {
			'GET reminder': /*    */ [200, 200, 200, 200, 200, 200, 200, 401],
			'PUT reminder': /*    */ [200, 200, 200, 200, 200, 200, 200, 401],
			'DELETE reminder': /* */ [200, 200, 200, 200, 200, 200, 200, 401],
			'GET calendar': /*    */ [200, 200, 200, 200, 200, 200, 200, 200],
			'PUT series': /*      */ [200, 403, 403, 403, 403, 403, 403, 401],
		},
		private: {
			'GET reminder': /*    */ [200, 200, 200, 200, 200, 404, 404, 401],
			'PUT reminder': /*    */ [200, 200, 200, 200, 200, 404, 404, 401],
			'DELETE reminder': /* */ [200, 200, 200, 200, 200, 404, 404, 401],
			'GET calendar': /*    */ [200, 200, 200, 200, 200, 404, 404, 404],
			'PUT series': /*      */ [200, 403, 403, 403, 403, 404, 404, 401],
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
				what === 'calendar' ? `/api/rooms/${room.id}/calendar.ics` : `/api/rooms/${room.id}/${what}`;
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
