import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { visible, WAIT } from './room';
import { BrowserStack } from './stack';

describe.skipIf(!hasChromium())('reminders and the notification centre', () => {
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		// Nothing here joins a room's audio: the API and the web client are enough.
		product = await startProduct({ env: { MAJLIS_ROLE: 'api' } });
		host = await product.signUp(uniqueHandle('huda'), 'Huda Saleh');
		listener = await product.signUp(uniqueHandle('yusuf'), 'Yusuf Amin');
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	function pageFor(user: TestUser, label: string, lang: 'en' | 'ar' = 'en'): Promise<Page> {
		return stack.pageAs(browser, product.url, user, lang, label);
	}

	test('a listener asks to be reminded; when the host starts the room their open page shows it within 2 s', async () => {
		const when = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
		const room = await product.createRoom(host, { title: 'Evening poetry', scheduledFor: when });
		const page = await pageFor(listener, 'listener');
		await page.goto(`/rooms/${room.id}`);
		const remind = page.getByRole('button', { name: en['reminder.remind'] });
		await remind.click();
		const set = page.getByRole('button', { name: en['reminder.reminded'] });
		await visible(set);
		expect(await set.getAttribute('aria-pressed')).toBe('true');
		await visible(page.getByRole('link', { name: en['reminder.addToCalendar'] }));
		expect(await runAxe(page)).toEqual([]);

		// The host sees how many asked.
		const hostPage = await pageFor(host, 'host');
		await hostPage.goto(`/rooms/${room.id}`);
		await visible(hostPage.getByText('1 person asked to be reminded'));
		await hostPage.context().close();

		// The listener waits on the home page, with its stream open (it loads the list when it connects).
		const connected = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me/notifications', {
			timeout: WAIT.ui,
		});
		await page.goto('/');
		await connected;
		const bell = page.getByRole('button', { name: en['notif.bell'], exact: true });
		await visible(bell);

		const started = Date.now();
		await product.api('POST', `/api/rooms/${room.id}/start`, host.token);
		const toast = page.getByRole('status').getByRole('link', { name: '“Evening poetry” has started' });
		await toast.waitFor({ state: 'visible', timeout: 2000 });
		const elapsed = Date.now() - started;
		expect(elapsed).toBeLessThan(2000);
		await visible(page.getByRole('button', { name: 'Notifications, 1 unread' }));

		// The bell's panel lists it; opening it goes to the room and marks it read.
		await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
		const item = page.locator('.notif-panel').getByRole('link', { name: /Evening poetry/ });
		await visible(item);
		expect(await runAxe(page)).toEqual([]);
		await item.click();
		await page.waitForURL(`**/rooms/${room.id}`);
		await visible(page.getByRole('button', { name: en['notif.bell'], exact: true }));
		await page.context().close();
	});

	test('following a host puts their new room in For you, above live and upcoming', async () => {
		const fan = await product.signUp(uniqueHandle('layla'), 'Layla Nasser');
		await product.api('PUT', `/api/users/${host.user.handle}/follow`, fan.token);
		const page = await pageFor(fan, 'fan');
		const connected = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me/notifications', {
			timeout: WAIT.ui,
		});
		await page.goto('/');
		await connected;
		// The host schedules a room while the fan's home page is open: it appears in For you by itself.
		await product.createRoom(host, {
			title: 'Tea and stories',
			scheduledFor: new Date(Date.now() + 3600_000).toISOString(),
		});
		const forYou = page.getByRole('region', { name: en['home.forYou'] });
		await visible(forYou.getByRole('article', { name: /Tea and stories/ }));
		const order = await page.locator('main h2').allTextContents();
		expect(order.indexOf(en['home.forYou'])).toBeLessThan(order.indexOf(en['home.live']));
		expect(await runAxe(page)).toEqual([]);
		await page.context().close();
	});

	test('the host makes a room repeat weekly; the series page lists the next occurrence', async () => {
		const when = new Date(Date.now() + 2 * 24 * 3600 * 1000);
		const room = await product.createRoom(host, { title: 'Sunday circle', scheduledFor: when.toISOString() });
		const page = await pageFor(host, 'host-series');
		await page.goto(`/rooms/${room.id}`);
		await page.getByText(en['series.repeat']).click();
		await page.getByLabel(en['series.everyDays'], { exact: true }).fill('7');
		await page.getByLabel(en['series.count'], { exact: true }).fill('3');
		await page.getByRole('button', { name: en['series.submit'], exact: true }).click();
		await page.getByRole('link', { name: en['series.view'] }).click();
		await visible(page.getByRole('heading', { level: 1, name: en['series.title'] }));
		await visible(page.getByText('Repeats every 7 days'));
		const items = page.locator('.series-list li');
		await visible(items.nth(1));
		expect(await items.count()).toBe(2);
		expect(await runAxe(page)).toEqual([]);
		await items.nth(1).getByRole('link', { name: 'Sunday circle' }).click();
		await visible(page.getByRole('heading', { level: 1, name: 'Sunday circle' }));
		expect(new URL(page.url()).pathname).not.toBe(`/rooms/${room.id}`);
		await page.context().close();
	});

	test('the notifications page in Arabic: the list, per-kind choices and the calendar feed, axe-clean', async () => {
		const page = await pageFor(listener, 'listener-ar', 'ar');
		await page.setViewportSize({ width: 360, height: 780 });
		await page.goto('/notifications');
		await visible(page.getByRole('heading', { level: 1, name: ar['notif.title'] }));
		await visible(page.getByRole('link', { name: /«Evening poetry»/ }));
		const pushBox = page.getByRole('checkbox', {
			name: `${ar['notif.prefs.label.followLive']}: ${ar['notif.prefs.push']}`,
		});
		await pushBox.uncheck();
		await visible(page.getByText(ar['notif.prefs.saved']));
		const prefs = await product.api<{ kind: string; push: boolean }[]>(
			'GET',
			'/api/me/notification-preferences',
			listener.token
		);
		expect(prefs.find((p) => p.kind === 'followLive')?.push).toBe(false);
		await page.getByRole('button', { name: ar['notif.calendar.show'] }).click();
		const feed = page.getByRole('textbox', { name: ar['notif.calendar.url'] });
		await visible(feed);
		expect(await feed.inputValue()).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]+\.ics$/);
		expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
		// Nothing of the page wider than the phone (the elements that stick out are named on failure).
		const outside = await page.evaluate(() =>
			[...document.querySelectorAll('main *, .notif-bell *')]
				.filter((el) => {
					const r = el.getBoundingClientRect();

					return r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1);
				})
				.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
		);
		expect(outside).toEqual([]);
		expect(await runAxe(page)).toEqual([]);
		expect(stack.pageErrors).toEqual([]);
		await page.context().close();
	});
});
