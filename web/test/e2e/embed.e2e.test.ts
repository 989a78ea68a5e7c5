import { createServer, type Server } from 'node:http';
import type { RecordingView, Room } from '@majlis/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium, newContext, recordPeerConnections } from './browser';
import { overflow, reach } from './phone';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, endRoom, visible, WAIT } from './room';
import { BrowserStack } from './stack';
import { inboundAudio } from './webrtc';

/** Another site: a page on its own origin (127.0.0.1 and a port of its own) that frames `src`. */
async function startForeignSite(): Promise<{
	url: string;
	pages: Map<string, string>;
	close(): Promise<void>;
}> {
	const pages = new Map<string, string>();
	const server: Server = createServer((request, response) => {
		const html = pages.get(request.url ?? '/');
		response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
		response.end(html ?? 'not found');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };

	return {
		url: `http://127.0.0.1:${port}`,
		pages,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

function blogPost(title: string, snippet: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>Listen along:</p>${snippet}</body></html>`;
}

describe.skipIf(!hasChromium())('the embeddable player on another site', () => {
	let product: Product;
	let host: TestUser;
	let room: Room;
	let site: Awaited<ReturnType<typeof startForeignSite>>;
	// The host's browser plays a tone; readers of the other site share one browser with its default device.
	let hostPage: Page;
	let reader: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		site = await startForeignSite();
		reader = await stack.browser();
		host = await product.signUp(uniqueHandle('salma'), 'Salma Idris');
		room = await product.createRoom(host, { title: 'Harbour stories' });
		await product.api('POST', `/api/rooms/${room.id}/start`, host.token);
		// The host goes live and speaks with the fake microphone's tone, for every test of the file.
		hostPage = await stack.page({ baseURL: product.url, lang: 'en', token: host.token, frequency: 440 });
		await goLive(room.id);
	});

	/** The host joins the started room `roomId` and unmutes: the tone is on stage. */
	async function goLive(roomId: string): Promise<void> {
		await hostPage.goto(`/rooms/${roomId}`);
		await hostPage.getByRole('button', { name: 'Join', exact: true }).click();
		await controls(hostPage).getByRole('button', { name: 'Unmute' }).click();
		await visible(controls(hostPage).getByRole('button', { name: 'Mute', exact: true }));
	}

	afterAll(() => stack.close(site, product));

	test('a page from another origin plays the live room in an iframe after Play; Stop stops it', async () => {
		// The snippet the host copies from the share menu is what the other site pastes.
		await hostPage.getByRole('button', { name: 'Embed', exact: true }).click();
		const dialog = hostPage.getByRole('dialog', { name: 'Embed this room' });
		const snippet = await dialog.getByRole('textbox', { name: 'Embed code' }).inputValue();
		expect(snippet).toContain(`<iframe src="${product.url}/embed/rooms/${room.id}"`);
		await dialog.getByRole('button', { name: 'Copy code' }).click();
		await visible(dialog.getByRole('status').getByText('Code copied'));
		expect(await runAxe(hostPage)).toEqual([]);
		await dialog.getByRole('button', { name: 'Close' }).click();

		// The oEmbed answer carries the same iframe.
		const oembed = await product.api<{ html: string }>(
			'GET',
			`/api/oembed?url=${encodeURIComponent(`${product.url}/rooms/${room.id}`)}`,
			null
		);
		expect(oembed.html).toBe(snippet);
		site.pages.set('/post', blogPost('A blog post', snippet));

		const context = await newContext(reader, { baseURL: site.url });
		await recordPeerConnections(context);
		const page = await context.newPage();
		stack.watch(page, 'blog reader');
		await page.goto('/post');
		expect(new URL(page.url()).origin).not.toBe(new URL(product.url).origin);
		const player = page.frameLocator(`iframe[src="${product.url}/embed/rooms/${room.id}"]`);
		await visible(player.getByRole('heading', { name: 'Harbour stories' }));
		await visible(player.getByText('Live', { exact: true }));
		await player.getByRole('button', { name: 'Play' }).click();
		await visible(player.getByRole('button', { name: 'Stop' }));
		// Listening, the row of faces is the stage, the host on it with the speaking ring while the tone plays.
		const hostOnStage = player
			.getByRole('list', { name: 'Stage' })
			.getByRole('listitem')
			.filter({ hasText: 'Salma Idris' });
		await visible(hostOnStage);
		await expect.poll(() => hostOnStage.locator('.avatar-speaking').count(), { timeout: WAIT.media }).toBe(1);
		await expect
			.poll(async () => (await hostOnStage.textContent()) ?? '', { timeout: WAIT.media })
			.toContain('Speaking');

		const frame = page.frames().find((f) => f.url().startsWith(`${product.url}/embed/rooms/`));
		expect(frame, 'the player frame').toBeDefined();
		const start = await inboundAudio(frame!);
		await expect
			.poll(async () => (await inboundAudio(frame!)).packets, { timeout: WAIT.media })
			.toBeGreaterThan(start.packets + 50);
		await expect
			.poll(async () => (await inboundAudio(frame!)).bytes, { timeout: WAIT.media })
			.toBeGreaterThan(start.bytes + 2000);
		await expect
			.poll(async () => (await inboundAudio(frame!)).energy, { timeout: WAIT.media })
			.toBeGreaterThan(start.energy);
		const heard = await inboundAudio(frame!);
		// The count the player shows includes this listener.
		await visible(player.getByText(/^1 listener$/));

		await player.getByRole('button', { name: 'Stop' }).click();
		await visible(player.getByRole('button', { name: 'Play' }));
		// Stopped: the peer connection is closed, so nothing more comes in.
		await expect.poll(async () => (await inboundAudio(frame!)).packets, { timeout: WAIT.ui }).toBe(0);
		expect(heard.packets).toBeGreaterThan(50);
		expect(stack.pageErrors).toEqual([]);
	});

	test('the player says who may frame it; every other page refuses other sites, in a real browser too', async () => {
		const player = await fetch(`${product.url}/embed/rooms/${room.id}`);
		expect(player.headers.get('content-security-policy')).toMatch(/(^|;)frame-ancestors \*(;|$)/u);
		expect(player.headers.get('x-frame-options')).toBeNull();
		// The launcher's SPA fallback, a room page and a profile page.
		for (const path of ['/', '/schedule', `/rooms/${room.id}`, `/u/${host.user.handle}`]) {
			const res = await fetch(`${product.url}${path}`);
			expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
			expect(res.headers.get('content-security-policy'), path).toMatch(/(^|;)frame-ancestors 'self'(;|$)/u);
			expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
		}

		site.pages.set(
			'/steal',
			blogPost('Not allowed', `<iframe src="${product.url}/rooms/${room.id}" title="room"></iframe>`)
		);
		const context = await newContext(reader, { baseURL: site.url });
		const page = await context.newPage();
		await page.goto('/steal');
		// Chromium replaces a refused frame with its error page: the room page never renders there.
		await expect
			.poll(() => page.frames().map((f) => f.url()), { timeout: WAIT.ui })
			.toContain('chrome-error://chromewebdata/');
		expect(await page.frameLocator('iframe').getByRole('heading', { name: 'Harbour stories' }).count()).toBe(
			0
		);
	});

	test('axe-clean in English and Arabic (right to left); fits a 360 px phone with Play in reach', async () => {
		for (const lang of ['en', 'ar'] as const) {
			const context = await newContext(reader, { baseURL: product.url, phone: { width: 360, height: 740 } });
			const page: Page = await context.newPage();
			stack.watch(page, `player (${lang})`);
			await page.goto(`/embed/rooms/${room.id}?lang=${lang}`);
			const play = page.getByRole('button', { name: lang === 'ar' ? 'تشغيل' : 'Play' });
			await visible(play);
			expect(
				await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])
			).toEqual([lang, lang === 'ar' ? 'rtl' : 'ltr']);
			expect(await overflow(page, 360)).toEqual([]);
			const where = await reach(play);
			expect(where.inView, where.where).toBe(true);
			expect(where.size[0]).toBeGreaterThanOrEqual(44);
			expect(where.size[1]).toBeGreaterThanOrEqual(44);
			expect(await runAxe(page)).toEqual([]);
			// Playing (the stage in view) is checked too.
			await play.click();
			await visible(page.getByRole('button', { name: lang === 'ar' ? 'إيقاف' : 'Stop' }));
			await visible(page.getByRole('list', { name: lang === 'ar' ? 'المنصة' : 'Stage' }));
			expect(await runAxe(page)).toEqual([]);
			expect(await overflow(page, 360)).toEqual([]);
			await context.close();
		}
		// In a 400×180 frame, the title and Play fit without scrolling.
		const context = await newContext(reader, { baseURL: product.url });
		const page = await context.newPage();
		await page.setViewportSize({ width: 400, height: 180 });
		await page.goto(`/embed/rooms/${room.id}`);
		const play = page.getByRole('button', { name: 'Play' });
		await visible(play);
		expect((await reach(play)).inView).toBe(true);
		expect(await overflow(page, 400)).toEqual([]);
		expect(stack.pageErrors).toEqual([]);
	});

	test('a private room says so to strangers and links to Majlis, with no Play', async () => {
		const secret = await product.createRoom(host, { title: 'Board meeting', visibility: 'private' });
		await product.api('POST', `/api/rooms/${secret.id}/start`, host.token);
		const context = await newContext(reader, { baseURL: product.url, lang: 'en' });
		const page = await context.newPage();
		await page.goto(`/embed/rooms/${secret.id}`);
		await visible(page.getByRole('heading', { name: 'This room is private or no longer available.' }));
		const open = page.getByRole('link', { name: 'Open in Majlis (opens in a new tab)' });
		expect(await open.getAttribute('href')).toBe(`/rooms/${secret.id}`);
		expect(await open.getAttribute('target')).toBe('_blank');
		expect(await page.getByRole('button', { name: 'Play' }).count()).toBe(0);
		expect(await page.getByText('Board meeting').count()).toBe(0);
		expect(await runAxe(page)).toEqual([]);
	});

	test('once the room has ended, the player on the other site plays its recording', async () => {
		const recorded = await product.createRoom(host, { title: 'Recorded evening' });
		await product.api('PUT', `/api/rooms/${recorded.id}/recordings/setting`, host.token, { enabled: true });
		await product.api('POST', `/api/rooms/${recorded.id}/start`, host.token);
		await goLive(recorded.id);
		await hostPage.getByRole('button', { name: 'Start recording' }).click();
		await visible(hostPage.getByText('Recording', { exact: true }));

		// A reader of the other site is listening when the room ends: the player turns into the replay by
		// itself once the recording is mixed.
		const { html } = await product.api<{ html: string }>(
			'GET',
			`/api/oembed?url=${encodeURIComponent(`${product.url}/rooms/${recorded.id}`)}`,
			null
		);
		site.pages.set('/recorded', blogPost('Last night', html));
		const page = await (await newContext(reader, { baseURL: site.url })).newPage();
		stack.watch(page, 'replay reader');
		await page.goto('/recorded');
		const player = page.frameLocator('iframe');
		await player.getByRole('button', { name: 'Play' }).click();
		await visible(player.getByRole('button', { name: 'Stop' }));
		await hostPage.waitForTimeout(5000);
		await hostPage.getByRole('button', { name: 'Stop recording' }).click();
		await endRoom(hostPage);
		await visible(player.getByText('Ended', { exact: true }));
		const replay = player.getByRole('region', { name: 'Player' });
		await visible(replay, WAIT.media);
		const [recording] = (
			await product.api<{ items: RecordingView[] }>('GET', `/api/rooms/${recorded.id}/recordings`, null)
		).items;
		expect(recording?.state).toBe('ready');
		await replay.getByRole('button', { name: 'Play' }).click();
		await visible(replay.getByRole('button', { name: 'Pause' }));
		await expect
			.poll(() => player.locator('audio').evaluate((el: HTMLAudioElement) => el.currentTime), {
				timeout: WAIT.media,
			})
			.toBeGreaterThan(1);
		expect(stack.pageErrors).toEqual([]);
	});
});
