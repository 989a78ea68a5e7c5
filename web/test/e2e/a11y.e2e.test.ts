import type { Room } from '@majlis/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { visible, WAIT } from './room';
import { BrowserStack } from './stack';

const dictionaries = { en, ar } as const;

describe.skipIf(!hasChromium())(
	'accessibility (axe-core: no serious or critical WCAG 2.2 AA violations)',
	() => {
		let product: Product;
		let host: TestUser;
		let listener: TestUser;
		let browser: Browser;
		const stack = new BrowserStack();

		beforeAll(async () => {
			product = await startProduct();
			host = await product.signUp(uniqueHandle('mariam'), 'Mariam Khalil');
			listener = await product.signUp(uniqueHandle('tariq'), 'طارق الحسن');
			browser = await stack.browser();
			await product.createRoom(host, {
				title: 'Poetry night',
				description: 'Bring a poem you love.',
				topics: ['poetry', 'literature'],
				scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
			});
		});

		afterAll(() => stack.close(product));

		function pageFor(user: TestUser | null, lang: 'en' | 'ar'): Promise<Page> {
			return stack.pageAs(browser, product.url, user, lang);
		}

		function liveRoom(lang: 'en' | 'ar'): Promise<Room> {
			return product.startRoom(host, { title: lang === 'ar' ? 'أمسية شعر' : 'Live: music and memory' });
		}

		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];

			test(`home and schedule pages (${lang})`, async () => {
				const room = await liveRoom(lang);
				const page = await pageFor(host, lang);
				await page.goto('/');
				await visible(page.getByRole('article', { name: room.title }));
				await visible(page.getByRole('article', { name: 'Poetry night' }));
				expect(await page.locator('html').getAttribute('lang')).toBe(lang);
				expect(await runAxe(page)).toEqual([]);

				await page
					.getByRole('navigation', { name: t['nav.main'] })
					.getByRole('link', { name: t['nav.newRoom'] })
					.click();
				await visible(page.getByRole('heading', { level: 1, name: t['schedule.createHeading'] }));
				expect(await runAxe(page)).toEqual([]);
				// Errors are part of the page too: submit empty, and check the invalid state again.
				await page.getByRole('button', { name: t['schedule.submitCreate'] }).click();
				await visible(page.getByRole('alert').filter({ hasText: t['form.fixErrors'] }));
				expect(await runAxe(page)).toEqual([]);
				await page.context().close();
			});

			test(`live room as host and as listener (${lang})`, async () => {
				const room = await liveRoom(lang);
				const hostPage = await pageFor(host, lang);
				const page = await pageFor(listener, lang);
				const controls = (p: Page) => p.getByRole('region', { name: t['room.controls'] });
				for (const p of [hostPage, page]) {
					await p.goto(`/rooms/${room.id}`);
					await p.getByRole('button', { name: t['roompage.join'], exact: true }).click();
					await visible(controls(p));
				}
				// A raised hand, so the host's queue and the listener's pending state are on screen.
				await controls(page).getByRole('button', { name: t['room.requestToSpeak'] }).click();
				const hands = hostPage.getByRole('region', { name: t['room.hands'] });
				await visible(hands.getByRole('listitem', { name: listener.user.displayName }), WAIT.ui);
				await visible(
					hostPage.getByRole('region', { name: t['room.listeners'] }).getByRole('listitem', {
						name: listener.user.displayName,
					})
				);

				expect(await runAxe(hostPage)).toEqual([]);
				expect(await runAxe(page)).toEqual([]);

				// The person dialog the host opens for a listener.
				await hostPage
					.getByRole('region', { name: t['room.listeners'] })
					.getByRole('listitem', { name: listener.user.displayName })
					.getByRole('button')
					.click();
				await visible(hostPage.getByRole('dialog', { name: listener.user.displayName }));
				expect(await runAxe(hostPage)).toEqual([]);
				await hostPage.keyboard.press('Escape');

				await hostPage.context().close();
				await page.context().close();
				expect(stack.pageErrors).toEqual([]);
			});
		}
	}
);
