import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerEmbedPage } from '../src/embed-page.js';
import { registerSharePages } from '../src/share-pages.js';
import {
	call,
	createRoom,
	type Harness,
	listenLocally,
	setup,
	signup,
	type TestUser,
	WEB_INDEX_HTML,
} from './helper.js';

interface OEmbed {
	type: string;
	version: string;
	title: string;
	author_name: string;
	author_url: string;
	provider_name: string;
	provider_url: string;
	html: string;
	width: number;
	height: number;
	thumbnail_url?: string;
	thumbnail_width?: number;
	thumbnail_height?: number;
}

let h: Harness;
let app: FastifyInstance;
let base: string;
let host: TestUser;

beforeAll(async () => {
	h = await setup();
	app = await h.build({
		async extend(instance) {
			await registerSharePages(instance, { indexHtml: WEB_INDEX_HTML });
			await registerEmbedPage(instance, { indexHtml: WEB_INDEX_HTML });
		},
	});
	base = await listenLocally(app);
	host = await signup(app, { displayName: 'Layla "L" <Nasser>' });
});

afterAll(async () => {
	await app?.close();
	await h?.close();
});

function oembed(url: string, more = ''): Promise<Response> {
	return fetch(`${base}/api/oembed?url=${encodeURIComponent(url)}${more}`);
}

describe('oEmbed', () => {
	test('a public room is a rich iframe of its player, with author, provider and the share card', async () => {
		const room = await createRoom(app, host.token, { title: 'Poetry & <music> night' });
		const res = await oembed(`${base}/rooms/${room.id}`, '&format=json');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const body = (await res.json()) as OEmbed;
		expect(body).toMatchObject({
			type: 'rich',
			version: '1.0',
			title: 'Poetry & <music> night',
			author_name: 'Layla "L" <Nasser>',
			author_url: `${base}/u/${host.user.handle}`,
			provider_name: 'Majlis',
			provider_url: `${base}/`,
			width: 480,
			height: 200,
			thumbnail_width: 1200,
			thumbnail_height: 630,
		});
		expect(body.html).toContain(`<iframe src="${base}/embed/rooms/${room.id}"`);
		expect(body.html).toContain('width="480" height="200"');
		// The title is escaped inside the attribute: no markup of the room's own gets into the host page.
		expect(body.html).toContain('title="Poetry &#38; &#60;music&#62; night"');
		expect(body.html).not.toContain('<music>');
		expect(body.thumbnail_url?.startsWith(`${base}/api/rooms/${room.id}/card.png?v=`)).toBe(true);
		expect((await fetch(body.thumbnail_url!)).status).toBe(200);
	});

	test('maxwidth and maxheight bound the player; a card larger than them is left out; the player URL works too', async () => {
		const room = await createRoom(app, host.token, { title: 'Narrow column' });
		const res = await oembed(`${base}/embed/rooms/${room.id}`, '&maxwidth=320&maxheight=150');
		expect(res.status).toBe(200);
		const body = (await res.json()) as OEmbed;
		expect(body.width).toBe(320);
		expect(body.height).toBe(150);
		expect(body.html).toContain('width="320" height="150"');
		expect(body.thumbnail_url).toBeUndefined();
	});

	test('private, unknown and other sites’ rooms are 404; format=xml is 501', async () => {
		const secret = await createRoom(app, host.token, { title: 'Board meeting', visibility: 'private' });
		const hidden = await oembed(`${base}/rooms/${secret.id}`);
		expect(hidden.status).toBe(404);
		expect(await hidden.text()).not.toContain('Board meeting');
		expect((await oembed(`${base}/rooms/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
		expect((await oembed(`${base}/rooms/not-a-room`)).status).toBe(404);
		const room = await createRoom(app, host.token, { title: 'Elsewhere' });
		expect((await oembed(`https://other.example/rooms/${room.id}`)).status).toBe(404);
		expect((await oembed(`${base}/u/${host.user.handle}`)).status).toBe(404);
		const xml = await oembed(`${base}/rooms/${room.id}`, '&format=xml');
		expect(xml.status).toBe(501);
		expect(((await xml.json()) as { error: { code: string } }).error.code).toBe('unsupported');
	});

	test('a bad url or bound is a 400 naming the field', async () => {
		const notUrl = await call<{ error: { fields: Record<string, string> } }>(
			app,
			'GET',
			'/api/oembed?url=javascript%3Aalert(1)'
		);
		expect(notUrl.status).toBe(400);
		expect(notUrl.body.error.fields.url).toBe('must be the http(s) address of a room page (…/rooms/<id>)');
		// Past the schema's pattern, refused by the URL parser: still the field's message, not a crash.
		const unparsable = await call<{ error: { fields: Record<string, string> } }>(
			app,
			'GET',
			'/api/oembed?url=http%3A%2F%2F%5B'
		);
		expect(unparsable.status).toBe(400);
		expect(unparsable.body.error.fields.url).toBe(notUrl.body.error.fields.url);
		const missing = await call<{ error: { fields: Record<string, string> } }>(app, 'GET', '/api/oembed');
		expect(missing.status).toBe(400);
		expect(Object.keys(missing.body.error.fields)).toContain('url');
		const width = await call<{ error: { fields: Record<string, string> } }>(
			app,
			'GET',
			`/api/oembed?url=${encodeURIComponent(`${base}/rooms/x`)}&maxwidth=wide`
		);
		expect(width.status).toBe(400);
		expect(Object.keys(width.body.error.fields)).toContain('maxwidth');
		const format = await call<{ error: { fields: Record<string, string> } }>(
			app,
			'GET',
			`/api/oembed?url=${encodeURIComponent(`${base}/rooms/x`)}&format=yaml`
		);
		expect(format.status).toBe(400);
		expect(Object.keys(format.body.error.fields)).toContain('format');
	});

	test('the room page links its oEmbed (discovery), a private one does not', async () => {
		const room = await createRoom(app, host.token, { title: 'Discoverable' });
		const html = await (await fetch(`${base}/rooms/${room.id}`)).text();
		const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/u.exec(html)?.[1];
		expect(href).toBeDefined();
		const discovered = await fetch(href!.replace(/&#38;/gu, '&'));
		expect(discovered.status).toBe(200);
		expect(((await discovered.json()) as OEmbed).html).toContain(`/embed/rooms/${room.id}"`);
		const secret = await createRoom(app, host.token, { title: 'Hidden', visibility: 'private' });
		expect(await (await fetch(`${base}/rooms/${secret.id}`)).text()).not.toContain('json+oembed');
	});
});

describe('framing', () => {
	test('the player may be framed by any site; no X-Frame-Options', async () => {
		const room = await createRoom(app, host.token, { title: 'Frame me' });
		const res = await fetch(`${base}/embed/rooms/${room.id}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/(^|;)frame-ancestors \*(;|$)/u);
		// Everything else in the policy is as strict as on other pages.
		expect(csp).toContain("script-src 'self'");
		expect(csp).toContain("connect-src 'self' ws: wss:");
		expect(res.headers.get('x-frame-options')).toBeNull();
		const html = await res.text();
		expect(html).toContain('<div id="root"></div>');
		expect(html).toContain('<meta name="robots" content="noindex" />');
	});

	test('every other page refuses framing by other sites', async () => {
		const room = await createRoom(app, host.token, { title: 'Not framed' });
		for (const path of [`/rooms/${room.id}`, `/u/${host.user.handle}`, '/api/health', '/api/oembed']) {
			const res = await fetch(`${base}${path}`);
			expect(res.headers.get('content-security-policy'), path).toMatch(/(^|;)frame-ancestors 'self'(;|$)/u);
			expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
		}
	});

	test('EMBED_FRAME_ANCESTORS narrows who may frame the player', async () => {
		const narrow = await h.build({
			extend: (instance) =>
				registerEmbedPage(instance, {
					indexHtml: WEB_INDEX_HTML,
					frameAncestors: ['https://blog.example', 'https://*.news.example'],
				}),
		});
		try {
			const res = await narrow.inject({ method: 'GET', url: '/embed/rooms/anything' });
			expect(res.headers['content-security-policy']).toMatch(
				/(^|;)frame-ancestors https:\/\/blog\.example https:\/\/\*\.news\.example(;|$)/u
			);
			expect(res.headers['x-frame-options']).toBeUndefined();
		} finally {
			await narrow.close();
		}
	});
});
