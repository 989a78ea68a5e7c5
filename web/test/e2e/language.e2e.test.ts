import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { hasChromium, newContext } from './browser';
import { type Product, startProduct } from './product';
import { visible } from './room';
import { BrowserStack } from './stack';

async function documentLanguage(page: Page) {
	return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
}

describe.skipIf(!hasChromium())('language', () => {
	let product: Product;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	test('switching to Arabic sets html[lang=ar][dir=rtl], and the choice survives a reload', async () => {
		// An English-speaking browser with no remembered choice starts in English.
		const page = await (await newContext(browser, { baseURL: product.url })).newPage();
		stack.watch(page, 'visitor');
		await page.goto('/');
		await visible(page.getByRole('heading', { level: 1, name: en['home.heading'] }));
		expect(await documentLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });

		await page.getByRole('button', { name: en['lang.switch'] }).click();
		await visible(page.getByRole('heading', { level: 1, name: ar['home.heading'] }));
		expect(await documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
		await visible(page.locator('html[lang="ar"][dir="rtl"]'));
		await visible(page.getByRole('link', { name: ar['nav.signup'] }));

		await page.reload();
		await visible(page.getByRole('heading', { level: 1, name: ar['home.heading'] }));
		expect(await documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });

		// And back: English is remembered the same way.
		await page.getByRole('button', { name: ar['lang.switch'] }).click();
		await visible(page.getByRole('heading', { level: 1, name: en['home.heading'] }));
		await page.reload();
		await visible(page.getByRole('heading', { level: 1, name: en['home.heading'] }));
		expect(await documentLanguage(page)).toEqual({ lang: 'en', dir: 'ltr' });
		expect(stack.pageErrors).toEqual([]);
	});

	test('an Arabic-speaking browser starts in Arabic, right to left', async () => {
		const context = await browser.newContext({ baseURL: product.url, locale: 'ar' });
		const page = await context.newPage();
		stack.watch(page, 'Arabic visitor');
		await page.goto('/');
		await visible(page.getByRole('heading', { level: 1, name: ar['home.heading'] }));
		expect(await documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
	});
});
