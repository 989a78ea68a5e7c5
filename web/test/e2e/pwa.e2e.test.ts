import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium, launchChromium, newContext } from './browser';
import { type Product, startProduct } from './product';
import { visible, WAIT } from './room';

interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose?: string;
}

// Width and height from a PNG's IHDR chunk (bytes 16-23), to check the sizes the manifest claims.
function pngSize(bytes: Buffer): string {
	expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

	return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

describe.skipIf(!hasChromium())('installable app', () => {
	let product: Product;
	let browser: Browser;

	beforeAll(async () => {
		product = await startProduct();
		browser = await launchChromium();
	});

	afterAll(async () => {
		await browser?.close();
		await product?.close();
	});

	test('the manifest has the required fields in English and Arabic, and every icon it names is fetchable at its size', async () => {
		const context = await newContext(browser, { baseURL: product.url, lang: 'en' });
		const page = await context.newPage();
		await page.goto('/');
		const href = await page.locator('link[rel="manifest"]').getAttribute('href');
		expect(href).toBe('/manifest.webmanifest');
		const response = await page.request.get(href ?? '');
		expect(response.status()).toBe(200);
		const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
		expect(manifest).toMatchObject({
			name: expect.stringContaining('Majlis'),
			short_name: 'Majlis',
			start_url: expect.stringMatching(/^\//),
			scope: '/',
			display: 'standalone',
			theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
			background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
			translations: { ar: { name: expect.stringContaining('مجلس'), short_name: 'مجلس' } },
		});
		const png = manifest.icons.filter((i) => i.type === 'image/png');
		expect(png.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
		expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
		for (const icon of manifest.icons) {
			const res = await page.request.get(icon.src);
			expect(res.status(), icon.src).toBe(200);
			expect(res.headers()['content-type'], icon.src).toContain(icon.type);
			if (icon.type === 'image/png') {
				expect(pngSize(await res.body()), icon.src).toBe(icon.sizes);
			}
		}
		await context.close();
	});

	test('the service worker controls the page after a reload, and the offline page shows with the network cut', async () => {
		const context = await newContext(browser, { baseURL: product.url, lang: 'en' });
		const page = await context.newPage();
		await page.setViewportSize({ width: 360, height: 740 });
		await page.goto('/');
		const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
		expect(scope).toBe(`${product.url}/`);
		await page.reload();
		await visible(page.getByRole('heading', { level: 1 }));
		const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
		expect(controller).toBe(`${product.url}/sw.js`);
		// The app shell (hashed chunks included) is in the cache the worker installed.
		const cached = await page.evaluate(async () => {
			const names = await caches.keys();
			const shell = names.find((n) => n.startsWith('majlis-shell-'));
			const keys = shell ? await (await caches.open(shell)).keys() : [];

			return keys.map((r) => new URL(r.url).pathname);
		});
		expect(cached).toEqual(expect.arrayContaining(['/', '/offline.html', '/manifest.webmanifest']));
		expect(cached.some((p) => /^\/assets\/index-.+\.js$/.test(p))).toBe(true);

		await context.setOffline(true);
		await page.goto('/rooms/some-room');
		await visible(page.getByRole('heading', { name: 'You are offline' }), WAIT.ui);
		await visible(page.getByRole('heading', { name: 'أنت غير متصل' }));
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		expect(await runAxe(page)).toEqual([]);

		// Back online, "Try again" opens the app.
		await context.setOffline(false);
		await page.getByRole('link', { name: 'Try again' }).click();
		await visible(page.getByRole('link', { name: 'Log in' }));
		await context.close();
	});
});
