import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRoom, expectStatus, type Harness, setup, signup, type TestUser } from './helper.js';

// Every route gets a few hundred random and malformed requests: arbitrary JSON, near-valid objects with
// wrongly typed fields, broken JSON text, odd content types, random tokens and path params. Whatever
// comes in, the answer is a deliberate status (never 5xx, except 503 when no SFU node is alive), and
// every error uses the API's error shape.

const RUNS = 200;

let h: Harness;
let host: TestUser;
let other: TestUser;
let ids: { live: string; scheduled: string; user: string };
let serviceToken: string;

beforeAll(async () => {
	h = await setup();
	host = await signup(h.app);
	other = await signup(h.app);
	const live = await createRoom(h.app, host.token);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${live.id}/start`, { token: host.token });
	const scheduled = await createRoom(h.app, host.token, { visibility: 'private' });
	ids = { live: live.id, scheduled: scheduled.id, user: other.user.id };
	serviceToken = await h.app.tokens.signServiceToken('sfu');
});
afterAll(() => h?.close());

const scalar = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme', maxLength: 200 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constantFrom(
		'',
		' ',
		'\u0000',
		'public',
		'private',
		'speaker',
		'listener',
		'everyone',
		'live',
		'__proto__'
	),
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	fc.uuid()
);
const value = fc.oneof(
	scalar,
	fc.array(scalar, { maxLength: 5 }),
	fc.dictionary(fc.string(), scalar, { maxKeys: 3 })
);
const FIELDS = [
	'handle',
	'displayName',
	'password',
	'title',
	'description',
	'topics',
	'scheduledFor',
	'visibility',
	'speakRequests',
	'maxSpeakers',
	'kind',
	'userId',
	'by',
	'__proto__',
	'constructor',
];
const nearValid = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 });

/** A body: near-valid object, arbitrary JSON, or raw (often broken) text. */
const payload = fc.oneof(
	{ weight: 4, arbitrary: nearValid.map((v) => JSON.stringify(v)) },
	{ weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
	{ weight: 1, arbitrary: fc.string() },
	{ weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', '[', 'null', '{"__proto__":{"x":1}}', '\u0000') }
);
const contentType = fc.oneof(
	{ weight: 6, arbitrary: fc.constant('application/json') },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'application/json; charset=utf-8',
			'text/plain',
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'application/octet-stream',
			'application/jsonx',
			undefined
		),
	}
);
const query = fc
	.dictionary(
		fc.constantFrom('state', 'topic', 'host', 'q', 'cursor', 'limit', 'x'),
		fc.oneof(fc.string(), scalar.map(String)),
		{
			maxKeys: 4,
		}
	)
	.map((q) => new URLSearchParams(q).toString());

interface Route {
	method: InjectOptions['method'];
	path: string;
	auth: 'user' | 'service' | 'none';
}

const ROUTES: Route[] = [
	{ method: 'POST', path: '/api/auth/signup', auth: 'none' },
	{ method: 'POST', path: '/api/auth/login', auth: 'none' },
	{ method: 'GET', path: '/api/me', auth: 'user' },
	{ method: 'GET', path: '/api/users', auth: 'user' },
	{ method: 'GET', path: '/api/users/:handle', auth: 'user' },
	{ method: 'POST', path: '/api/rooms', auth: 'user' },
	{ method: 'GET', path: '/api/rooms', auth: 'user' },
	{ method: 'GET', path: '/api/rooms/:id', auth: 'user' },
	{ method: 'PATCH', path: '/api/rooms/:id', auth: 'user' },
	{ method: 'DELETE', path: '/api/rooms/:id', auth: 'user' },
	{ method: 'POST', path: '/api/rooms/:id/start', auth: 'user' },
	{ method: 'POST', path: '/api/rooms/:id/end', auth: 'user' },
	{ method: 'POST', path: '/api/rooms/:id/join', auth: 'user' },
	{ method: 'PUT', path: '/api/rooms/:id/cohosts/:userId', auth: 'user' },
	{ method: 'DELETE', path: '/api/rooms/:id/cohosts/:userId', auth: 'user' },
	{ method: 'PUT', path: '/api/rooms/:id/moderators/:userId', auth: 'user' },
	{ method: 'DELETE', path: '/api/rooms/:id/moderators/:userId', auth: 'user' },
	{ method: 'GET', path: '/api/rooms/:id/guests', auth: 'user' },
	{ method: 'PUT', path: '/api/rooms/:id/guests/:userId', auth: 'user' },
	{ method: 'DELETE', path: '/api/rooms/:id/guests/:userId', auth: 'user' },
	{ method: 'GET', path: '/api/internal/rooms/:id', auth: 'service' },
	{ method: 'POST', path: '/api/internal/rooms/:id/bans', auth: 'service' },
	{ method: 'POST', path: '/api/internal/rooms/:id/end', auth: 'service' },
	{ method: 'POST', path: '/api/internal/rooms/:id/host', auth: 'service' },
];

/** A path param: mostly a real one, sometimes a random UUID or string. */
function param(...real: string[]) {
	return fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...real) },
		{ weight: 1, arbitrary: fc.uuid() },
		{ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 60 }) }
	);
}

describe.each(ROUTES)('$method $path', (route) => {
	test(`${RUNS} random requests: no 5xx, errors in the API's shape`, async () => {
		const token = fc.oneof(
			{ weight: 4, arbitrary: fc.constant(route.auth === 'service' ? 'service' : 'host') },
			{ weight: 1, arbitrary: fc.constantFrom('other', 'none', 'garbage') }
		);
		await fc.assert(
			fc.asyncProperty(
				payload,
				contentType,
				query,
				token,
				param(ids.live, ids.scheduled),
				param(ids.user, host.user.id),
				param(host.user.handle, other.user.handle.toUpperCase()),
				fc.boolean(),
				async (body, type, qs, who, id, userId, handle, bodyOnBodiless) => {
					const path = route.path
						.replace(':id', encodeURIComponent(id))
						.replace(':userId', encodeURIComponent(userId))
						.replace(':handle', encodeURIComponent(handle));
					const headers: Record<string, string> = {};
					if (type !== undefined) {
						headers['content-type'] = type;
					}
					const bearer = {
						host: host.token,
						other: other.token,
						service: serviceToken,
						garbage: 'x.y.z',
						none: undefined,
					}[who];
					if (bearer) {
						headers.authorization = `Bearer ${bearer}`;
					}
					const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
					const res = await h.app.inject({
						method: route.method,
						url: `${path}${route.method === 'GET' ? `?${qs}` : ''}`,
						headers,
						...(hasBody || bodyOnBodiless ? { payload: body } : {}),
					});
					const status = res.statusCode;
					if (status >= 500 && !(status === 503 && route.path.endsWith('/join'))) {
						throw new Error(
							`${route.method} ${path} → ${status}: ${res.body} (body ${JSON.stringify(body)})`
						);
					}
					if (status >= 400) {
						const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
						expect(typeof parsed.error?.code).toBe('string');
						expect(typeof parsed.error?.message).toBe('string');
					}
				}
			),
			{ numRuns: RUNS }
		);
		// Nothing leaked into Object.prototype.
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	}, 180_000);
});
