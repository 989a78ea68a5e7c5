import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '@majlis/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { PASSWORD, type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, expectAudioFlowing, hostSpeaks, stageMember, visible } from './room';
import { BrowserStack } from './stack';

// Reach (issue 14): a profile page, account settings (avatar upload, deletion), and discovery search,
// in both languages, axe-clean and inside a 360 px phone.

const dictionaries = { en, ar } as const;
const ICON = join(import.meta.dirname, '../../public/icons');

/** What on the page reaches past a `width`-px viewport (none: it fits), named for the failure message. */
async function overflowing(page: Page, width: number): Promise<string[]> {
	return page.evaluate(
		(w) =>
			[...document.querySelectorAll('body *')]
				.filter((e) => {
					const box = e.getBoundingClientRect();

					return box.width > 0 && (box.right > w + 0.5 || box.left < -0.5);
				})
				.map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent?.slice(0, 40)}`),
		width
	);
}

describe.skipIf(!hasChromium())('people and discovery', () => {
	let product: Product;
	let host: TestUser;
	let fan: TestUser;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('layla'), 'ليلى حداد');
		fan = await product.signUp(uniqueHandle('omar'), 'Omar Faris');
		await product.api('PATCH', '/api/me', host.token, { bio: 'أقرأ الشعر كل خميس.\nPoetry on Thursdays.' });
		const _live = await product.startRoom(host, { title: 'الإسلام اليوم', language: 'ar', topics: ['فكر'] });
		await product.createRoom(host, {
			title: 'مدرسة الشعر',
			scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
		});
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	function pageFor(user: TestUser | null, lang: 'en' | 'ar'): Promise<Page> {
		return stack.pageAs(browser, product.url, user, lang);
	}

	for (const lang of ['en', 'ar'] as const) {
		const t = dictionaries[lang];

		test(`a profile shows name, bio and rooms; Follow counts at once (${lang}, 360 px, axe)`, async () => {
			const page = await pageFor(fan, lang);
			await page.setViewportSize({ width: 360, height: 780 });
			await page.goto(`/u/${host.user.handle}`);
			await visible(page.getByRole('heading', { level: 1, name: 'ليلى حداد' }));
			await visible(page.getByText('أقرأ الشعر كل خميس.'));
			await visible(page.getByRole('article', { name: 'الإسلام اليوم' }));
			await visible(page.getByRole('article', { name: 'مدرسة الشعر' }));
			const before = await product.api<Profile>('GET', `/api/users/${host.user.handle}`, fan.token);
			const follow = page.getByRole('button', { name: t['profile.follow'], exact: true });
			await follow.click();
			const unfollow = page.getByRole('button', { name: t['profile.unfollow'] });
			await visible(unfollow);
			expect(await unfollow.getAttribute('aria-pressed')).toBe('true');
			const after = await product.api<Profile>('GET', `/api/users/${host.user.handle}`, fan.token);
			expect(after.followers).toBe(before.followers + 1);
			expect(after.followedByMe).toBe(true);
			expect(await overflowing(page, 360)).toEqual([]);
			expect(await runAxe(page)).toEqual([]);
			await unfollow.click();
			await visible(follow);
			await page.context().close();
		});

		test(`home search finds Arabic as people type it; the language filter narrows (${lang})`, async () => {
			const page = await pageFor(null, lang);
			await page.goto('/');
			const search = page.getByRole('search');
			await search.getByLabel(t['discover.q']).fill('الاسلام');
			await search.getByRole('button', { name: t['discover.search'] }).click();
			await visible(page.getByRole('article', { name: 'الإسلام اليوم' }));
			await search.getByLabel(t['discover.q']).fill('مدرسه');
			await search.getByRole('button', { name: t['discover.search'] }).click();
			await visible(page.getByRole('article', { name: 'مدرسة الشعر' }));
			expect(await page.getByRole('article', { name: 'الإسلام اليوم' }).count()).toBe(0);
			await search.getByLabel(t['discover.q']).fill('');
			await search.getByLabel(t['discover.language']).selectOption('en');
			await visible(page.getByText(t['home.noLive']));
			expect(await runAxe(page)).toEqual([]);
			await page.context().close();
		});
	}

	test('settings: a picture upload becomes a 256² avatar; the page is axe-clean in both languages at 360 px', async () => {
		const me = await product.signUp(uniqueHandle('sara'), 'Sara');
		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			const page = await pageFor(me, lang);
			await page.setViewportSize({ width: 360, height: 780 });
			await page.goto('/settings');
			await visible(page.getByRole('heading', { level: 1, name: t['settings.heading'] }));
			expect(await overflowing(page, 360)).toEqual([]);
			expect(await runAxe(page)).toEqual([]);
			if (lang === 'en') {
				await page.getByLabel(t['settings.avatar.pick']).setInputFiles({
					name: 'me.png',
					mimeType: 'image/png',
					buffer: await readFile(join(ICON, 'icon-512.png')),
				});
				await visible(page.getByRole('status').filter({ hasText: t['settings.avatar.saved'] }));
				const avatar = page.getByRole('img', { name: t['settings.avatar.current'] });
				await visible(avatar);
				await expect
					.poll(() => avatar.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
					.toEqual([256, 256]);
				// A file of another type is refused with the app's own words.
				await page.getByLabel(t['settings.avatar.pick']).setInputFiles({
					name: 'me.gif',
					mimeType: 'image/gif',
					buffer: Buffer.from('GIF89a'),
				});
				await visible(page.getByRole('alert').filter({ hasText: t['settings.avatar.badType'] }));
				expect(await runAxe(page)).toEqual([]);
			}
			await page.context().close();
		}
	});

	test('deleting the account asks to confirm, signs out, and the profile is gone', async () => {
		const me = await product.signUp(uniqueHandle('gone'), 'Leaving Soon');
		const page = await pageFor(me, 'en');
		await page.goto('/settings');
		await page.getByLabel(en['settings.delete.password']).fill(PASSWORD);
		await page.getByRole('button', { name: en['settings.delete.button'] }).click();
		const dialog = page.getByRole('dialog', { name: en['settings.delete.confirm'] });
		await visible(dialog);
		expect(await runAxe(page)).toEqual([]);
		await dialog.getByRole('button', { name: en['settings.delete.button'] }).click();
		await visible(page.getByRole('link', { name: en['nav.login'] }));
		expect(new URL(page.url()).pathname).toBe('/');
		await page.context().close();
		// A fresh visitor (the test context would put the old token back on each load).
		const visitor = await pageFor(null, 'en');
		await visitor.goto(`/u/${me.user.handle}`);
		await visible(visitor.getByRole('heading', { level: 1, name: en['profile.notFound'] }));
		await visitor.context().close();
	});

	test('a browser with no account opens a live public room’s link and hears the host; a hand asks to sign up', async () => {
		const speaker = await product.signUp(uniqueHandle('nadia'), 'Nadia Salem');
		const room = await product.createRoom(speaker, { title: 'Open to all' });
		const hostPage = await stack.signedIn(product.url, speaker, 440);
		await hostSpeaks(hostPage, room.id, 'start');

		const guest = await stack.page({ baseURL: product.url, lang: 'en', frequency: 660 });
		await guest.goto(`/rooms/${room.id}`);
		await visible(guest.getByText(en['anon.lead']));
		expect(await runAxe(guest)).toEqual([]);
		await guest.getByRole('button', { name: en['anon.listen'] }).click();
		await visible(stageMember(guest, 'Nadia Salem'));
		await expectAudioFlowing(guest);
		// Counted in the audience the API reports.
		await expect
			.poll(
				async () =>
					(await product.api<{ listenerCount: number }>('GET', `/api/rooms/${room.id}`, null)).listenerCount
			)
			.toBeGreaterThanOrEqual(1);
		// Raising a hand needs an account: the server refuses, and the page says so.
		await controls(guest).getByRole('button', { name: 'Request to speak' }).click();
		await visible(guest.getByText(en['anon.accountRequired']));
	});
});
