import type { Room } from '@majlis/protocol';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { overflow, PHONES, reach } from './phone';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { endRoom, expectRecordingReady, hostSpeaks, visible, WAIT } from './room';
import { BrowserStack } from './stack';

const dictionaries = { en, ar } as const;
type Lang = keyof typeof dictionaries;

// Phones first (issue #16): every page at 390×844 (touch, mobile user agent) and 360 px, in English and
// Arabic: nothing wider than the viewport, the main actions in view and at least 44×44 px, axe clean.
// One browser (its fake microphone plays a tone), a context per person and language.
describe.skipIf(!hasChromium())('phone layouts (390×844 and 360 px, English and Arabic)', () => {
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('mariam'), 'Mariam Khalil');
		listener = await product.signUp(uniqueHandle('tariq'), 'طارق الحسن');
		browser = await stack.browser(440);
		await product.createRoom(host, {
			title: 'Poetry night: bring a poem you love and read it to the room',
			description: 'A long description, so the card has to wrap on a small phone without pushing sideways.',
			topics: ['poetry', 'literature'],
			scheduledFor: new Date(Date.now() + 86_400_000).toISOString(),
		});
	});

	afterAll(() => stack.close(product));

	function phonePage(user: TestUser, lang: Lang): Promise<Page> {
		const options = { baseURL: product.url, lang, token: user.token, phone: PHONES[0] };

		return stack.pageIn(browser, options, `${user.user.displayName} (${lang}, phone)`);
	}

	/**
	 * At each phone size: fits, and each control is large enough to tap and in view — the bottom bar's
	 * (`bar`) with the page scrolled to the top, the others once scrolled to.
	 */
	async function checkFits(page: Page, ...mainActions: (Locator | { bar: Locator })[]): Promise<void> {
		for (const size of PHONES) {
			await page.setViewportSize(size);
			await expect.poll(() => overflow(page, size.width)).toEqual([]);
			for (const item of mainActions) {
				const action = 'bar' in item ? item.bar : item;
				if ('bar' in item) {
					await page.evaluate(() => window.scrollTo(0, 0));
				} else {
					await action.scrollIntoViewIfNeeded();
				}
				const r = await reach(action);
				expect(r.inView, `${action} in view at ${size.width} px: ${r.where}`).toBe(true);
				expect(
					Math.min(...r.size),
					`${action} at ${size.width} px: ${r.size.join('×')}`
				).toBeGreaterThanOrEqual(44);
			}
		}
		await page.setViewportSize(PHONES[0]);
		// Back to the top: axe judges targets where they are, and one scrolled under the sticky header
		// would be "obscured" only because of where this check left the page.
		await page.evaluate(() => window.scrollTo(0, 0));
	}

	/** The header keeps to one row: its parts' boxes share a line. */
	async function headerRows(page: Page): Promise<number> {
		return page.locator('.topbar-inner').evaluate((bar) => {
			const tops = [...bar.children].map((c) => Math.round(c.getBoundingClientRect().top / 20));

			return new Set(tops).size;
		});
	}

	function liveRoom(title: string): Promise<Room> {
		return product.startRoom(host, { title });
	}

	for (const lang of ['en', 'ar'] as const) {
		const t = dictionaries[lang];

		test(`home and schedule on a phone (${lang})`, async () => {
			const room = await liveRoom(lang === 'ar' ? 'أمسية شعر على الهاتف' : 'Phone evening');
			const page = await phonePage(host, lang);
			await page.goto('/');
			await visible(page.getByRole('article', { name: room.title }));
			expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'ar' ? 'rtl' : 'ltr');
			const nav = page.getByRole('navigation', { name: t['nav.main'] });
			for (const size of PHONES) {
				await page.setViewportSize(size);
				expect(await headerRows(page), `header rows at ${size.width} px`).toBe(1);
			}
			await checkFits(
				page,
				nav.getByRole('link', { name: t['nav.home'] }),
				nav.getByRole('link', { name: t['nav.newRoom'] }),
				page.getByRole('button', { name: t['nav.logout'] }),
				page.getByRole('article', { name: room.title }).getByRole('button', { name: t['roompage.join'] })
			);
			expect(await runAxe(page)).toEqual([]);

			await nav.getByRole('link', { name: t['nav.newRoom'] }).click();
			await visible(page.getByRole('heading', { level: 1, name: t['schedule.createHeading'] }));
			await checkFits(page);
			await page.getByRole('button', { name: t['schedule.submitCreate'] }).click();
			await visible(page.getByRole('alert').filter({ hasText: t['form.fixErrors'] }));
			await checkFits(page, page.getByRole('button', { name: t['schedule.submitCreate'] }));
			expect(await runAxe(page)).toEqual([]);
			await page.context().close();
		});

		test(`live room on a phone, host and listener, with a raised hand (${lang})`, async () => {
			const controls = (p: Page) => p.getByRole('region', { name: t['room.controls'] });
			const bar = (locator: Locator) => ({ bar: locator });
			const room = await liveRoom(lang === 'ar' ? 'حديث المساء عن كرة القدم' : 'Late night football talk');
			const hostPage = await phonePage(host, lang);
			const page = await phonePage(listener, lang);
			for (const p of [hostPage, page]) {
				await p.goto(`/rooms/${room.id}`);
				await p.getByRole('button', { name: t['roompage.join'], exact: true }).click();
				await visible(controls(p));
			}
			const stage = (p: Page) => p.getByRole('region', { name: t['room.stage'] });
			// The stage comes first: it starts within the first screen, above the fold.
			expect((await reach(stage(hostPage))).size[1]).toBeGreaterThan(0);
			expect(
				await stage(hostPage).evaluate((el) => el.getBoundingClientRect().top < window.innerHeight / 2)
			).toBe(true);
			// Details and the link are folded.
			const details = hostPage.locator('details.room-details');
			expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);

			// The listener raises a hand from the bar at the bottom.
			const hand = controls(page).getByRole('button', { name: t['room.requestToSpeak'] });
			await checkFits(
				page,
				bar(hand),
				bar(controls(page).getByRole('button', { name: t['phone.react'] })),
				bar(controls(page).getByRole('button', { name: t['phone.chat'] })),
				bar(controls(page).getByRole('button', { name: new RegExp(`^${t['phone.people']}`) })),
				bar(controls(page).getByRole('button', { name: t['room.leave'] }))
			);
			await hand.click();
			await visible(controls(page).getByRole('button', { name: t['room.cancelRequest'] }));

			// The host sees it without scrolling: the bar's hands button counts it.
			const hands = controls(hostPage).getByRole('button', { name: new RegExp(`^${t['phone.hands']}`) });
			await expect.poll(() => hands.textContent(), { timeout: WAIT.ui }).toContain('1');
			await checkFits(
				hostPage,
				bar(hands),
				bar(controls(hostPage).getByRole('button', { name: t['room.unmute'] })),
				bar(controls(hostPage).getByRole('button', { name: t['phone.more'] })),
				bar(controls(hostPage).getByRole('button', { name: t['room.leave'] }))
			);
			expect(await runAxe(hostPage)).toEqual([]);
			expect(await runAxe(page)).toEqual([]);

			// The hand queue is a sheet: a modal dialog, focus inside, Escape closes it and focus comes back.
			await hands.click();
			const sheet = hostPage.getByRole('dialog', { name: t['room.hands'] });
			await visible(sheet.getByRole('listitem', { name: listener.user.displayName }));
			expect(await sheet.evaluate((d) => d.contains(document.activeElement))).toBe(true);
			await checkFits(hostPage, sheet.getByRole('button', { name: t['room.inviteToSpeak'] }));
			expect(await runAxe(hostPage)).toEqual([]);
			await hostPage.keyboard.press('Escape');
			await expect.poll(() => sheet.isVisible()).toBe(false);
			expect(await hands.evaluate((b) => b === document.activeElement)).toBe(true);

			// The listeners sheet, and the person dialog over it.
			await controls(hostPage)
				.getByRole('button', { name: new RegExp(`^${t['phone.people']}`) })
				.click();
			const listeners = hostPage.getByRole('dialog', { name: t['room.listeners'] });
			const row = listeners.getByRole('listitem', { name: listener.user.displayName });
			await visible(row);
			await checkFits(hostPage, row.getByRole('button'));
			await row.getByRole('button').click();
			await visible(hostPage.getByRole('dialog', { name: listener.user.displayName }));
			expect(await runAxe(hostPage)).toEqual([]);
			await hostPage.keyboard.press('Escape');
			await listeners.getByRole('button', { name: t['room.close'] }).click();
			await expect.poll(() => listeners.isVisible()).toBe(false);

			// The rarer actions are one tap away in "More".
			await controls(hostPage).getByRole('button', { name: t['phone.more'] }).click();
			const more = hostPage.getByRole('dialog', { name: t['phone.moreTitle'] });
			await checkFits(
				hostPage,
				more.getByRole('button', { name: t['room.muteAll'] }),
				more.getByRole('button', { name: t['room.endRoom'] })
			);
			await hostPage.keyboard.press('Escape');

			// The host invites from the sheet; the listener's bar turns into the microphone.
			await hands.click();
			await sheet.getByRole('button', { name: t['room.inviteToSpeak'] }).click();
			await page.getByRole('button', { name: t['room.accept'] }).click();
			const mic = controls(page).getByRole('button', { name: t['room.unmute'] });
			await checkFits(page, bar(mic));
			expect(await runAxe(page)).toEqual([]);

			await hostPage.context().close();
			await page.context().close();
			expect(stack.pageErrors).toEqual([]);
		});
	}

	test('replay on a phone, English and Arabic', async () => {
		const _controls = (p: Page) => p.getByRole('region', { name: en['room.controls'] });
		const room = await product.createRoom(host, { title: 'Recorded on a phone' });
		await product.api('PUT', `/api/rooms/${room.id}/recordings/setting`, host.token, { enabled: true });
		await product.api('POST', `/api/rooms/${room.id}/start`, host.token);
		const hostPage = await phonePage(host, 'en');
		await hostSpeaks(hostPage, room.id);
		await hostPage.getByRole('button', { name: 'Start recording' }).click();
		await hostPage.waitForTimeout(3000);
		await hostPage.getByRole('button', { name: 'Stop recording' }).click();
		// End room lives in "More" on a phone; it still asks first.
		await endRoom(hostPage, { underMore: true });
		await expectRecordingReady(product, room.id, host);
		await hostPage.context().close();

		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			const page = await phonePage(listener, lang);
			await page.goto(`/rooms/${room.id}/replay`);
			const play = page.getByRole('button', { name: t['replay.play'] });
			await visible(play);
			await checkFits(page, play);
			expect(await runAxe(page)).toEqual([]);
			await page.context().close();
		}
		expect(stack.pageErrors).toEqual([]);
	}, 180_000);
});
