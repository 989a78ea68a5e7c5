import type { Room } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BODY_LIMIT } from '../src/index.js';
import { call, createRoom, type Harness, setup, signup, type TestUser } from './helper.js';

const ORIGIN = 'https://rooms.example';
const METRICS_TOKEN = 'metrics-token-for-the-scraper';

let h: Harness;
let user: TestUser;
beforeAll(async () => {
	h = await setup({ corsOrigins: [ORIGIN], metricsToken: METRICS_TOKEN });
	user = await signup(h.app);
});
afterAll(() => h?.close());

test('GET /api/health', async () => {
	const res = await call(h.app, 'GET', '/api/health');
	expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
});

test('GET /metrics (outside /api): default metrics and the request histogram', async () => {
	await call(h.app, 'GET', '/api/health');
	await createRoom(h.app, user.token);
	const res = await h.app.inject({
		method: 'GET',
		url: '/metrics',
		headers: { authorization: `Bearer ${METRICS_TOKEN}` },
	});
	expect(res.statusCode).toBe(200);
	expect(res.headers['content-type']).toMatch(/text\/plain/);
	expect(res.body).toMatch(/^process_cpu_user_seconds_total /m);
	expect(res.body).toMatch(
		/^http_request_duration_seconds_count\{method="GET",route="\/api\/health",status_code="200"\} \d+/m
	);
	// Labelled by route pattern, not URL.
	expect(res.body).toMatch(/route="\/api\/rooms"/);
	expect((await h.app.inject({ method: 'GET', url: '/api/metrics' })).statusCode).toBe(404);
});

test('GET /metrics needs the metrics token; without a configured token it is not exposed', async () => {
	expect((await h.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
	const wrong = await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
	expect(wrong.statusCode).toBe(401);
	// A user token is not a metrics token.
	const asUser = await h.app.inject({
		method: 'GET',
		url: '/metrics',
		headers: { authorization: `Bearer ${user.token}` },
	});
	expect(asUser.statusCode).toBe(401);
	const closed = await h.build({ metricsToken: undefined });
	try {
		const res = await closed.inject({ method: 'GET', url: '/metrics' });
		expect(res.statusCode).toBe(404);
		expect(res.json()).toEqual({ error: { code: 'not_found', message: 'route not found' } });
	} finally {
		await closed.close();
	}
});

test('unknown routes are 404 in the error shape', async () => {
	const res = await call(h.app, 'GET', '/api/nope');
	expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
});

describe('security headers and CORS', () => {
	test('helmet headers on API replies', async () => {
		const res = await h.app.inject({ method: 'GET', url: '/api/health' });
		expect(res.headers['x-content-type-options']).toBe('nosniff');
		expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
		expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
		expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
	});

	test('configured origins get CORS headers (preflight included); others do not', async () => {
		const preflight = await h.app.inject({
			method: 'OPTIONS',
			url: '/api/rooms',
			headers: {
				origin: ORIGIN,
				'access-control-request-method': 'POST',
				'access-control-request-headers': 'authorization,content-type',
			},
		});
		expect(preflight.statusCode).toBe(204);
		expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
		expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/PATCH/);
		expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toMatch(/authorization/);
		const allowed = await h.app.inject({ method: 'GET', url: '/api/health', headers: { origin: ORIGIN } });
		expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
		const other = await h.app.inject({
			method: 'GET',
			url: '/api/health',
			headers: { origin: 'https://evil.example' },
		});
		expect(other.headers['access-control-allow-origin']).toBeUndefined();
	});
});

describe('bad input is 4xx, never 500', () => {
	const json = { 'content-type': 'application/json' };

	test.each([
		['malformed JSON', '{"title": ', json, 400],
		['a JSON string', '"room"', json, 400],
		['JSON null', 'null', json, 400],
		['a JSON array', '[1,2]', json, 400],
		['prototype poisoning', '{"title":"t","visibility":"public","__proto__":{"x":1}}', json, 400],
		[
			'constructor poisoning',
			'{"title":"t","visibility":"public","constructor":{"prototype":{"x":1}}}',
			json,
			400,
		],
		[
			'form encoding',
			'title=t&visibility=public',
			{ 'content-type': 'application/x-www-form-urlencoded' },
			415,
		],
		// Fastify parses text/plain as a string, which is not the object the schema wants.
		['text/plain', '{"title":"t","visibility":"public"}', { 'content-type': 'text/plain' }, 400],
		['no content type', '{"title":"t","visibility":"public"}', {}, 415],
		['an empty body', '', json, 400],
		['a NUL in a title', '{"title":"a\\u0000b","visibility":"public"}', json, 400],
		['a lone surrogate', '{"title":"\\ud800","visibility":"public"}', json, 201],
		['a huge number', '{"title":"t","visibility":"public","maxSpeakers":1e308}', json, 400],
	])('%s → %i', async (_name, payload, headers, status) => {
		const res = await h.app.inject({
			method: 'POST',
			url: '/api/rooms',
			payload,
			headers: { ...headers, authorization: `Bearer ${user.token}` },
		});
		expect(res.statusCode).toBe(status);
		if (status >= 400) {
			expect(JSON.parse(res.body)).toMatchObject({
				error: { code: expect.any(String), message: expect.any(String) },
			});
		}
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});

	test(`bodies over ${BODY_LIMIT} bytes → 413 too_large`, async () => {
		const res = await h.app.inject({
			method: 'POST',
			url: '/api/rooms',
			payload: JSON.stringify({ title: 't', visibility: 'public', description: 'x'.repeat(BODY_LIMIT) }),
			headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
		});
		expect(res.statusCode).toBe(413);
		expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'too_large' } });
	});

	test('bodiless POSTs with Content-Type: application/json are fine', async () => {
		const room = await createRoom(h.app, user.token);
		const res = await h.app.inject({
			method: 'POST',
			url: `/api/rooms/${room.id}/start`,
			headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
		});
		expect(res.statusCode).toBe(200);
		expect((JSON.parse(res.body) as Room).state).toBe('live');
	});
});
