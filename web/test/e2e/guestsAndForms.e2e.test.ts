import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { hasChromium } from './browser';
import { PASSWORD, type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, joinRoom, stageMember, visible, WAIT } from './room';
import { BrowserStack } from './stack';

const dictionaries = { en, ar } as const;

describe.skipIf(!hasChromium())('invited guests, forms and Arabic details', () => {
	let product: Product;
	let host: TestUser;
	let guest: TestUser;
	let omar: TestUser;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		// Two free failed log-ins per handle, so the throttle shows within the test.
		product = await startProduct({ env: { LOGIN_FAILURES_PER_HANDLE: '2' } });
		host = await product.signUp(uniqueHandle('huda'), 'Huda Saleh');
		guest = await product.signUp(uniqueHandle('rami'), 'Rami Aziz');
		omar = await product.signUp(uniqueHandle('omar_guest'), 'عمر');
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	function pageFor(user: TestUser | null, lang: 'en' | 'ar'): Promise<Page> {
		return stack.pageAs(browser, product.url, user, lang);
	}

	test('a logged-out speaker guest opens a private link, logs in, lands in the room and comes on stage', async () => {
		const room = await product.createRoom(host, {
			title: 'Invited voices',
			visibility: 'private',
			speakRequests: 'off',
		});
		await product.api('PUT', `/api/rooms/${room.id}/guests/${guest.user.id}`, host.token, {
			kind: 'speaker',
		});
		await product.api('POST', `/api/rooms/${room.id}/start`, host.token);
		const hostPage = await pageFor(host, 'en');
		await joinRoom(hostPage, room.id);
		await visible(controls(hostPage));

		const page = await pageFor(null, 'en');
		await page.goto(`/rooms/${room.id}`);
		await visible(page.getByRole('heading', { level: 1, name: 'Log in to see this room' }));
		// Every Log in link carries the way back, the header's too.
		const back = `/login?next=${encodeURIComponent(`/rooms/${room.id}`)}`;
		expect(await page.getByRole('banner').getByRole('link', { name: 'Log in' }).getAttribute('href')).toBe(
			back
		);
		await page.getByRole('main').getByRole('link', { name: 'Log in' }).click();
		await page.getByLabel('Handle').fill(guest.user.handle);
		await page.getByLabel('Password').fill(PASSWORD);
		await page.getByRole('button', { name: 'Log in' }).click();
		await visible(page.getByRole('heading', { level: 1, name: 'Invited voices' }));
		expect(new URL(page.url()).pathname).toBe(`/rooms/${room.id}`);

		// A speaker guest was promised the stage: no hand to raise (requests are off), a button to come up.
		await page.getByRole('button', { name: 'Join', exact: true }).click();
		const comeUp = controls(page).getByRole('button', { name: 'Come on stage' });
		await visible(comeUp);
		expect(await controls(page).getByRole('button', { name: 'Request to speak' }).count()).toBe(0);
		await comeUp.click();
		await visible(controls(page).getByRole('button', { name: 'Unmute' }));
		await visible(stageMember(hostPage, 'Rami Aziz'));
		await page.context().close();
		await hostPage.context().close();
	});

	test('after too many wrong passwords, the log-in form says how long to wait', async () => {
		const page = await pageFor(null, 'en');
		await page.goto('/login');
		await page.getByLabel('Handle').fill(omar.user.handle);
		await page.getByLabel('Password').fill('not the password');
		const wait = page
			.getByRole('alert')
			.filter({ hasText: /^Too many attempts\. Try again in \d+ seconds?\.$/ });
		for (let attempt = 0; attempt < 5 && (await wait.count()) === 0; attempt++) {
			await page.getByRole('button', { name: 'Log in' }).click();
			await page.waitForTimeout(300);
		}
		await visible(wait);
		await page.context().close();
	});

	for (const lang of ['en', 'ar'] as const) {
		const t = dictionaries[lang];

		test(`sign-up refuses invisible names and blank passwords; errors clear once valid (${lang})`, async () => {
			const page = await pageFor(null, lang);
			await page.goto('/signup');
			await page.getByLabel(t['auth.handle']).fill(uniqueHandle('zw'));
			const name = page.getByLabel(t['auth.displayName']);
			await name.fill('\u200B\u200C\u200D');
			const password = page.getByLabel(t['auth.password']);
			await password.fill('          ');
			await page.getByRole('button', { name: t['auth.signup.submit'] }).click();
			await visible(page.getByText(t['validation.visible'], { exact: true }));
			await visible(page.getByText(t['validation.blankPassword'], { exact: true }));
			expect(await name.getAttribute('aria-invalid')).toBe('true');

			// Typing a valid value clears that field's error at once, without submitting again.
			await name.fill('Salma');
			await visible(
				page.getByText(t['form.count'].replace('{count}', '5').replace('{max}', '50'), { exact: true })
			);
			await expect.poll(() => page.getByText(t['validation.visible'], { exact: true }).count()).toBe(0);
			expect(await name.getAttribute('aria-invalid')).toBeNull();
			await visible(page.getByText(t['validation.blankPassword'], { exact: true }));
			await page.context().close();
		});

		test(`the schedule form counts characters, and handles stay left-to-right (${lang})`, async () => {
			const page = await pageFor(host, lang);
			await page.goto('/schedule');
			const title = page.getByLabel(t['schedule.title']);
			const long = `${'word '.repeat(20)}extra`;
			await title.fill(long);
			// Nothing is cut: the whole title stays, and a counter shows it is over the limit.
			expect(await title.inputValue()).toBe(long);
			const over = t['form.count'].replace('{count}', '105').replace('{max}', '100');
			await visible(page.getByText(over, { exact: true }));
			await page.getByRole('button', { name: t['schedule.submitCreate'] }).click();
			await visible(page.getByText(t['validation.tooLong'], { exact: true }));
			await title.fill('Words, not cut mid-word');
			await expect.poll(() => page.getByText(t['validation.tooLong'], { exact: true }).count()).toBe(0);
			await visible(page.getByText(t['form.count'].replace('{count}', '23').replace('{max}', '100')));

			// The co-host picker: the handle reads @omar_guest_…, left to right, inside Arabic text too.
			const search = page.getByLabel(t['schedule.cohosts.search']);
			await search.fill('omar_guest');
			const add = page.getByRole('button', { name: t['schedule.add'].replace('{name}', 'عمر') });
			await visible(add, WAIT.ui);
			const handleIn = (scope: ReturnType<Page['locator']>) =>
				scope
					.locator('.handle')
					.evaluate((el) => ({ text: el.textContent, direction: getComputedStyle(el).direction }));
			expect(await handleIn(add)).toEqual({ text: `@${omar.user.handle}`, direction: 'ltr' });
			await add.click();
			// Focus stays in the picker, on the search box, ready for the next person.
			expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
			const picked = page.locator('.picker-selected li').filter({ hasText: 'عمر' });
			const shown = await handleIn(picked);
			expect(shown).toEqual({ text: `@${omar.user.handle}`, direction: 'ltr' });
			// Isolated from the surrounding text, so "@" stays in front in a right-to-left line.
			expect(await picked.locator('.handle').evaluate((el) => getComputedStyle(el).unicodeBidi)).toMatch(
				/isolate/
			);
			await page.context().close();
		});
	}

	test('scheduled times carry the time zone name', async () => {
		await product.createRoom(host, {
			title: 'Later tonight',
			scheduledFor: new Date(Date.now() + 3 * 3_600_000).toISOString(),
		});
		const page = await pageFor(host, 'ar');
		await page.goto('/');
		const card = page.getByRole('article', { name: 'Later tonight' });
		await visible(card);
		expect(await card.textContent()).toMatch(/UTC|GMT/);
		await page.context().close();
	});

	test('a room past its start time waits for the host, then leaves Upcoming (en, ar)', async () => {
		const startsAt = Date.now() + 3_600_000;
		const room = await product.createRoom(host, {
			title: 'Nobody came',
			scheduledFor: new Date(startsAt).toISOString(),
		});
		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			const page = await pageFor(guest, lang);
			// The browser's clock half an hour after the start time.
			await page.clock.setFixedTime(startsAt + 30 * 60_000);
			await page.goto('/');
			const card = page.getByRole('article', { name: 'Nobody came' });
			await visible(card.getByText(t['card.waitingForHost']));
			await page.goto(`/rooms/${room.id}`);
			await visible(page.getByText(t['roompage.waitingForHost']));
			// Hours later it is gone from Upcoming.
			await page.clock.setFixedTime(startsAt + 3 * 3_600_000);
			await page.goto('/');
			await visible(page.getByRole('article', { name: 'Later tonight' }));
			expect(await page.getByRole('article', { name: 'Nobody came' }).count()).toBe(0);
			await page.context().close();
		}
		expect(stack.pageErrors).toEqual([]);
	});
});
