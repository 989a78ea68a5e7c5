import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium, launchChromium, newContext } from './browser';
import { type Product, startProduct, WEB_DIST } from './product';
import { visible, WAIT } from './room';

// The update prompt for real: the server serves a copy of the built client; once its worker controls
// the page, the copy is replaced by the next build (a new worker version, a changed page), the browser
// finds the new worker waiting, the page offers "Update", and pressing it reloads into the new build.
describe.skipIf(!hasChromium())('a new build of the app', () => {
	let product: Product;
	let browser: Browser;
	let dist: string;

	beforeAll(async () => {
		dist = await mkdtemp(join(tmpdir(), 'majlis-web-'));
		await cp(WEB_DIST, dist, { recursive: true });
		product = await startProduct({ env: { WEB_DIST: dist } });
		browser = await launchChromium();
	});

	afterAll(async () => {
		await browser?.close();
		await product?.close();
		await rm(dist, { recursive: true, force: true });
	});

	function shellCaches(page: Page): Promise<string[]> {
		return page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('majlis-shell-')));
	}

	/** Deploys "the next build": the worker's build version changes, and so does the page. */
	async function deployNextBuild(): Promise<string> {
		const worker = await readFile(join(dist, 'sw.js'), 'utf8');
		const version = /"version":"([0-9a-f]+)"/.exec(worker)?.[1];
		expect(version).toBeTruthy();
		const next = `${version}next`;
		await writeFile(join(dist, 'sw.js'), worker.replace(`"version":"${version}"`, `"version":"${next}"`));
		const index = await readFile(join(dist, 'index.html'), 'utf8');
		await writeFile(
			join(dist, 'index.html'),
			index.replace('<head>', '<head>\n\t\t<meta name="majlis-build" content="next" />')
		);

		return next;
	}

	test('the waiting worker shows the update banner; Update reloads the page into the new build', async () => {
		const context = await newContext(browser, { baseURL: product.url, lang: 'en' });
		const page = await context.newPage();
		await page.goto('/');
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await page.reload();
		await visible(page.getByRole('heading', { level: 1 }));
		expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
		const [first] = await shellCaches(page);
		expect(first).toMatch(/^majlis-shell-[0-9a-f]{12}$/);
		// Nothing to update yet.
		const banner = page.getByRole('region', { name: 'App updates' });
		expect(await banner.count()).toBe(0);

		const next = await deployNextBuild();
		// The browser checks for a new worker on navigations and on update(); ask now.
		await page.evaluate(async () => {
			await (await navigator.serviceWorker.getRegistration())?.update();
		});
		await visible(banner.getByText('A new version of Majlis is ready.'), WAIT.ui);
		// The old worker still controls the page until the person says so.
		expect(await page.locator('meta[name="majlis-build"]').count()).toBe(0);
		expect(await runAxe(page)).toEqual([]);

		const reloaded = page.waitForEvent('load', { timeout: WAIT.ui });
		await banner.getByRole('button', { name: 'Update' }).click();
		await reloaded;
		await visible(page.getByRole('heading', { level: 1 }));
		expect(await page.locator('meta[name="majlis-build"]').count()).toBe(1);
		await expect.poll(() => shellCaches(page)).toEqual([`majlis-shell-${next}`]);
		expect(await banner.count()).toBe(0);
		await context.close();
	});
});
