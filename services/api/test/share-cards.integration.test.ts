import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CARD_FONT_FILES, CARD_HEIGHT, CARD_WIDTH, renderCard } from '../src/plugins/app/share/card-image.js';
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

let h: Harness;
let app: FastifyInstance;
let base: string;
let host: TestUser;

beforeAll(async () => {
	h = await setup();
	app = await h.build({ extend: (instance) => registerSharePages(instance, { indexHtml: WEB_INDEX_HTML }) });
	base = await listenLocally(app);
	host = await signup(h.app, { displayName: 'ليلى' });
});

afterAll(async () => {
	await app?.close();
	await h?.close();
});

/** The `content` of every `<meta property|name=key>` in `html`, decoded. */
function metaTags(html: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const match of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/gu)) {
		const value = match[2]!.replace(/&#(\d+);/gu, (_, code: string) => String.fromCharCode(Number(code)));
		out.set(match[1]!, value);
	}

	return out;
}

/** Width and height from a PNG's IHDR chunk (signature, length, "IHDR", then two big-endian u32). */
function pngSize(bytes: Buffer): { width: number; height: number } {
	expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
		true
	);
	expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');

	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** How many pixels of a rendered SVG are not fully transparent. */
function inkedPixels(svg: string, fontFiles: readonly string[]): number {
	const pixels = new Resvg(svg, { font: { fontFiles: [...fontFiles], loadSystemFonts: false } }).render()
		.pixels;
	let inked = 0;
	for (let i = 3; i < pixels.length; i += 4) {
		if (pixels[i]! > 0) {
			inked++;
		}
	}

	return inked;
}

test('a public room page has its Open Graph and Twitter tags in the raw HTML, and its card is a 1200×630 PNG', async () => {
	const room = await createRoom(h.app, host.token, {
		title: 'مجلس الشعر: قراءات من المتنبي',
		language: 'ar',
	});
	const res = await fetch(`${base}/rooms/${room.id}`, { headers: { accept: 'text/html' } });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toMatch(/^text\/html/);
	const html = await res.text();
	const tags = metaTags(html);
	expect(tags.get('og:title')).toBe('مجلس الشعر: قراءات من المتنبي');
	expect(html).toContain('<title>مجلس الشعر: قراءات من المتنبي</title>');
	expect(tags.get('og:description')).toContain(`@${host.user.handle}`);
	expect(tags.get('og:description')).toContain('مجدولة');
	expect(tags.get('og:locale')).toBe('ar_AR');
	expect(tags.get('og:type')).toBe('website');
	expect(tags.get('og:url')).toBe(`${base}/rooms/${room.id}`);
	expect(tags.get('twitter:card')).toBe('summary_large_image');
	// The page still boots the app: the client's script and root are untouched.
	expect(html).toContain('<div id="root"></div>');
	expect(html).toContain('<script type="module"');
	// One title and one description: the client's generic ones were replaced, not duplicated.
	expect(html.match(/<title>/gu)).toHaveLength(1);
	expect(html.match(/name="description"/gu)).toHaveLength(1);

	const image = tags.get('og:image')!;
	expect(image.startsWith(`${base}/api/rooms/${room.id}/card.png?v=`)).toBe(true);
	const png = await fetch(image);
	expect(png.status).toBe(200);
	expect(png.headers.get('content-type')).toBe('image/png');
	expect(png.headers.get('cache-control')).toBe('public, max-age=300');
	const bytes = Buffer.from(await png.arrayBuffer());
	expect(pngSize(bytes)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
	// Cached per version: revalidation answers 304 without drawing again.
	const again = await fetch(image, { headers: { 'if-none-match': png.headers.get('etag')! } });
	expect(again.status).toBe(304);
});

test('a room that changes gets a new card version (new og:image URL and ETag)', async () => {
	const room = await createRoom(h.app, host.token, { title: 'Weekly sync', language: 'en' });
	const before = metaTags(await (await fetch(`${base}/rooms/${room.id}`)).text());
	expect(before.get('og:locale')).toBe('en_US');
	expect(before.get('og:description')).toContain('Scheduled');
	const etagBefore = (await fetch(before.get('og:image')!)).headers.get('etag');
	const patched = await call(h.app, 'PATCH', `/api/rooms/${room.id}`, {
		token: host.token,
		body: { title: 'Weekly sync, moved' },
	});
	expect(patched.status).toBe(200);
	const after = metaTags(await (await fetch(`${base}/rooms/${room.id}`)).text());
	expect(after.get('og:title')).toBe('Weekly sync, moved');
	expect(after.get('og:image')).not.toBe(before.get('og:image'));
	const etagAfter = (await fetch(after.get('og:image')!)).headers.get('etag');
	expect(etagAfter).not.toBe(etagBefore);
});

test('a private room page has only the generic tags, and its card is a 404 to outsiders', async () => {
	const secret = 'Secret board meeting about the merger';
	const room = await createRoom(h.app, host.token, { title: secret, visibility: 'private' });
	const html = await (await fetch(`${base}/rooms/${room.id}`)).text();
	expect(html).not.toContain('Secret board meeting');
	const tags = metaTags(html);
	expect(tags.get('og:title')).toBe('Majlis');
	expect(tags.get('og:image')).not.toContain(room.id);
	expect((await fetch(`${base}/api/rooms/${room.id}/card.png`)).status).toBe(404);
	const outsider = await signup(h.app);
	expect((await call(h.app, 'GET', `/api/rooms/${room.id}/card.png`, { token: outsider.token })).status).toBe(
		404
	);
	const own = await call(h.app, 'GET', `/api/rooms/${room.id}/card.png`, { token: host.token });
	expect(own.status).toBe(200);
	expect(own.headers['cache-control']).toBe('private, max-age=300');
});

test('unknown rooms get the generic tags; titles and names are HTML-escaped', async () => {
	for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-room']) {
		const res = await fetch(`${base}/rooms/${id}`);
		expect(res.status).toBe(200);
		expect(metaTags(await res.text()).get('og:title')).toBe('Majlis');
	}
	const room = await createRoom(h.app, host.token, { title: 'Q&A "live" <script>alert(1)</script>' });
	const html = await (await fetch(`${base}/rooms/${room.id}`)).text();
	expect(html).not.toContain('<script>alert(1)');
	expect(metaTags(html).get('og:title')).toBe('Q&A "live" <script>alert(1)</script>');
});

test('a profile page carries the person’s name and about text, and its card', async () => {
	const person = await signup(h.app, { displayName: 'Omar <b>' });
	const html = await (await fetch(`${base}/u/${person.user.handle}`)).text();
	const tags = metaTags(html);
	expect(tags.get('og:title')).toBe(`Omar <b> (@${person.user.handle})`);
	expect(tags.get('og:type')).toBe('profile');
	expect(tags.get('twitter:card')).toBe('summary_large_image');
	expect(html).not.toContain('Omar <b>');
	const image = tags.get('og:image')!;
	expect(image.startsWith(`${base}/api/users/${person.user.handle}/card.png?v=`)).toBe(true);
	const png = await fetch(image);
	expect(png.headers.get('content-type')).toBe('image/png');
	expect(pngSize(Buffer.from(await png.arrayBuffer()))).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
	expect((await fetch(`${base}/api/users/no_such_person_1/card.png`)).status).toBe(404);
	// An Arabic about text makes the page Arabic; changing it makes a new card.
	expect(
		(await call(h.app, 'PATCH', '/api/me', { token: person.token, body: { bio: 'أحب الشعر' } })).status
	).toBe(200);
	const after = metaTags(await (await fetch(`${base}/u/${person.user.handle}`)).text());
	expect(after.get('og:locale')).toBe('ar_AR');
	expect(after.get('og:description')).toBe('أحب الشعر');
	expect(after.get('og:image')).not.toBe(image);
	expect(metaTags(await (await fetch(`${base}/u/nobody-here-at-all`)).text()).get('og:title')).toBe('Majlis');
});

test('Arabic is drawn with the shipped font and shaped (letters joined), not as isolated letters', () => {
	const svg = (text: string) =>
		`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><text x="560" y="120" font-size="80" text-anchor="end" direction="rtl" font-family="'Noto Sans Arabic'">${text}</text></svg>`;
	// The fonts ship with the code.
	for (const file of CARD_FONT_FILES) {
		expect(readFileSync(file).subarray(0, 4).readUInt32BE(0)).toBe(0x00010000);
	}
	// Drawn with the shipped fonts only: without them there is no glyph at all, so the font was used.
	expect(inkedPixels(svg('سلام'), CARD_FONT_FILES)).toBeGreaterThan(1000);
	expect(inkedPixels(svg('سلام'), [])).toBe(0);
	// Shaping: the same letters kept apart by zero-width non-joiners take their isolated forms, which
	// draw differently from the joined word.
	const joined = new Resvg(svg('سلام'), {
		font: { fontFiles: [...CARD_FONT_FILES], loadSystemFonts: false },
	}).render().pixels;
	const apart = new Resvg(svg('س\u200cل\u200cا\u200cم'), {
		font: { fontFiles: [...CARD_FONT_FILES], loadSystemFonts: false },
	}).render().pixels;
	expect(Buffer.compare(joined, apart)).not.toBe(0);
	// And a whole card draws its Arabic title: the same card without it differs.
	const content = { language: 'ar' as const, badge: 'مباشر الآن', live: true, lines: ['يستضيفها ليلى'] };
	const card = renderCard({ ...content, title: 'مجلس الشعر' });
	expect(pngSize(card)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
	expect(card.equals(renderCard({ ...content, title: '' }))).toBe(false);
});
