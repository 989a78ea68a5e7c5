import { existsSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, type Harness, listenLocally, setup } from './helper.js';

/** The system's Chromium (Debian's package: playwright-core brings no browser); override with CHROMIUM_PATH. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Doc = {
	openapi: string;
	paths: Record<
		string,
		Record<string, { security?: unknown[]; responses: Record<string, unknown>; tags?: string[] }>
	>;
	components: { securitySchemes: Record<string, unknown> };
};

let h: Harness;
let doc: Doc;
beforeAll(async () => {
	h = await setup();
	const res = await call<Doc>(h.app, 'GET', '/api/openapi.json');
	expect(res.status).toBe(200);
	doc = res.body;
});
afterAll(() => h?.close());

test('GET /api/openapi.json is a valid OpenAPI 3.1 document', async () => {
	const validator = new Validator();
	const result = await validator.validate(
		structuredClone(doc) as unknown as Parameters<Validator['validate']>[0]
	);
	expect(result.errors).toBeUndefined();
	expect(result.valid).toBe(true);
	expect(validator.version).toBe('3.1');
});

test('documents every public and internal route with its responses', () => {
	const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
		Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)
	);
	expect(operations.sort()).toEqual(
		[
			'GET /api/health',
			'POST /api/auth/signup',
			'POST /api/auth/login',
			'POST /api/auth/logout',
			'POST /api/auth/logout-all',
			'GET /api/me',
			'POST /api/me/password',
			'GET /api/rooms/{id}/bans',
			'DELETE /api/rooms/{id}/bans/{userId}',
			'GET /api/users',
			'GET /api/users/{handle}',
			'POST /api/rooms',
			'GET /api/rooms',
			'GET /api/rooms/{id}',
			'PATCH /api/rooms/{id}',
			'DELETE /api/rooms/{id}',
			'POST /api/rooms/{id}/start',
			'POST /api/rooms/{id}/end',
			'POST /api/rooms/{id}/join',
			'PUT /api/rooms/{id}/cohosts/{userId}',
			'DELETE /api/rooms/{id}/cohosts/{userId}',
			'PUT /api/rooms/{id}/moderators/{userId}',
			'DELETE /api/rooms/{id}/moderators/{userId}',
			'GET /api/rooms/{id}/guests',
			'PUT /api/rooms/{id}/guests/{userId}',
			'PUT /api/rooms/{id}/host',
			'DELETE /api/rooms/{id}/guests/{userId}',
			'GET /api/internal/rooms/{id}',
			'POST /api/internal/rooms/{id}/bans',
			'POST /api/internal/rooms/{id}/end',
			'POST /api/internal/rooms/{id}/analytics',
			'POST /api/internal/rooms/{id}/host',
			'GET /api/internal/rooms/{id}/chat',
			'POST /api/internal/rooms/{id}/chat',
			'POST /api/internal/rooms/{id}/chat/{messageId}/delete',
			'GET /api/internal/rooms/{id}/moderation',
			'POST /api/internal/rooms/{id}/moderation',
			'GET /api/rooms/{id}/moderation-log',
			'GET /api/rooms/{id}/analytics',
			'POST /api/rooms/{id}/bans/by-handle',
			'GET /api/me/blocks',
			'PUT /api/me/blocks/{userId}',
			'DELETE /api/me/blocks/{userId}',
			'POST /api/reports',
			'GET /api/rooms/{id}/reports',
			'GET /api/admin/reports',
			'POST /api/admin/reports/{reportId}/resolve',
			'GET /api/rooms/{id}/recordings',
			'GET /api/rooms/{id}/recordings/setting',
			'PUT /api/rooms/{id}/recordings/setting',
			'DELETE /api/recordings/{id}',
			'GET /api/recordings/{id}/files/{name}',
			'POST /api/internal/rooms/{id}/recordings',
			'PUT /api/internal/recordings/{id}/files/{name}',
			'POST /api/internal/recordings/{id}/finish',
			// Recording states (#13): the capture stopped, the mix is being made.
			'POST /api/internal/recordings/{id}/processing',
			// Integrations: API tokens and bots.
			'GET /api/me/tokens',
			'POST /api/me/tokens',
			'DELETE /api/me/tokens/{tokenId}',
			'GET /api/me/bots',
			'POST /api/me/bots',
			'GET /api/me/webhooks',
			'POST /api/me/webhooks',
			'DELETE /api/me/webhooks/{webhookId}',
			'POST /api/me/webhooks/{webhookId}/test',
			// Federation (issue 18): sharing to the fediverse, fediverse follows and what they sent.
			'GET /api/me/federation',
			'PUT /api/me/federation',
			'GET /api/me/federation/following',
			'POST /api/me/federation/following',
			'DELETE /api/me/federation/following/{followId}',
			'GET /api/me/federation/feed',
			'GET /api/me/webhooks/{webhookId}/deliveries',
			'GET /api/oembed',
			// Reach (issue 14): people.
			'PUT /api/users/{handle}/follow',
			'DELETE /api/users/{handle}/follow',
			'GET /api/users/{handle}/avatar',
			'PATCH /api/me',
			'DELETE /api/me',
			'PUT /api/me/avatar',
			'DELETE /api/me/avatar',
			// Reach (issue 14): reminders, notifications, Web Push, calendars, For you.
			'GET /api/rooms/{id}/reminder',
			'PUT /api/rooms/{id}/reminder',
			'DELETE /api/rooms/{id}/reminder',
			'GET /api/rooms/{id}/calendar.ics',
			// Share cards (#14).
			'GET /api/rooms/{id}/card.png',
			'GET /api/users/{handle}/card.png',
			'GET /api/me/notifications',
			'GET /api/me/notifications/stream',
			'POST /api/me/notifications/{notificationId}/read',
			'POST /api/me/notifications/read-all',
			'GET /api/me/notification-preferences',
			'PUT /api/me/notification-preferences',
			'PUT /api/me/push-subscriptions',
			'DELETE /api/me/push-subscriptions',
			'GET /api/push/key',
			'GET /api/me/calendar-feed',
			'POST /api/me/calendar-feed',
			'DELETE /api/me/calendar-feed',
			'GET /api/calendar/{file}',
			'GET /api/me/for-you',
			'GET /api/rooms/{id}/series',
			'PUT /api/rooms/{id}/series',
		].sort()
	);
	expect(Object.keys(doc.paths['/api/rooms/{id}/join']!.post!.responses).sort()).toEqual(
		['200', '400', '401', '403', '404', '409', '503'].sort()
	);
	expect(doc.paths['/api/internal/rooms/{id}']!.get!.security).toEqual([{ serviceToken: [] }]);
	expect(doc.paths['/api/internal/rooms/{id}']!.get!.tags).toEqual(['internal']);
	expect(doc.paths['/api/rooms/{id}']!.patch!.security).toEqual([
		{ bearerAuth: [] },
		{ apiToken: ['rooms:schedule'] },
	]);
	expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
		'apiToken',
		'bearerAuth',
		'serviceToken',
	]);
});

test('GET /api/docs serves Swagger UI under the API’s CSP', async () => {
	const page = await h.app.inject({ method: 'GET', url: '/api/docs/' });
	expect(page.statusCode).toBe(200);
	expect(page.headers['content-type']).toMatch(/text\/html/);
	expect(page.body).toMatch(/swagger-ui-bundle\.js/);
	// No inline scripts, so `script-src 'self'` holds.
	expect(page.body).not.toMatch(/<script>/);
	expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'self';/);
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('in Chromium', () => {
	test('the docs page renders every operation without CSP violations or errors', async () => {
		const base = await listenLocally(h.app);
		const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
		try {
			const page = await browser.newPage();
			const problems: string[] = [];
			page.on('console', (m) => {
				if (m.type() === 'error' || m.type() === 'warning') {
					problems.push(m.text());
				}
			});
			page.on('pageerror', (error) => problems.push(String(error)));
			await page.goto(`${base}/api/docs/`);
			await page.waitForSelector('.opblock', { timeout: 20_000 });
			expect(await page.locator('.opblock').count()).toBe(
				Object.values(doc.paths).flatMap((p) => Object.keys(p)).length
			);
			expect(problems).toEqual([]);
		} finally {
			await browser.close();
		}
	});
});
