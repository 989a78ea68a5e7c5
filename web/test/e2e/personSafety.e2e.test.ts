import type { Room } from '@majlis/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, tabTo, visible, WAIT } from './room';
import { BrowserStack } from './stack';

// Report and Block on people, not only on their chat messages: any listener opens another listener's
// entry in the listener list, or a speaker's tile, and reports or blocks them from that person's dialog
// — by keyboard, axe-clean, on a 360 px phone, in English and in Arabic (right to left).
describe.skipIf(!hasChromium())('Report and Block from the listener list and the stage', () => {
	let product: Product;
	let host: TestUser;
	let rana: TestUser;
	let tariq: TestUser;
	let room: Room;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('nour'), 'Nour Khalil');
		rana = await product.signUp(uniqueHandle('rana'), 'Rana Said');
		tariq = await product.signUp(uniqueHandle('tariq'), 'Tariq Fares');
		room = await product.startRoom(host, { title: 'Open mic' });
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	async function open(user: TestUser, name: string, lang: 'en' | 'ar'): Promise<Page> {
		const page = await stack.pageAs(browser, product.url, user, lang, name);
		await page.goto(`/rooms/${room.id}`);
		const t = lang === 'ar' ? ar : en;
		await page.getByRole('button', { name: t['roompage.join'], exact: true }).click();
		await visible(page.getByRole('region', { name: t['room.controls'] }));

		return page;
	}

	async function blocksOf(user: TestUser): Promise<string[]> {
		const list = await product.api<{ items: { id: string }[] }>('GET', '/api/me/blocks', user.token);

		return list.items.map((u) => u.id);
	}

	test('a listener reports and blocks another listener from the listener list, by keyboard, on a phone', async () => {
		const hostPage = await open(host, 'host', 'en');
		const tariqPage = await open(tariq, 'tariq', 'ar');
		const ranaPage = await open(rana, 'rana', 'en');
		await ranaPage.setViewportSize({ width: 360, height: 740 });
		expect(tariqPage).toBeDefined();

		// On a phone the listeners are a sheet, opened from the bottom bar.
		const people = controls(ranaPage).getByRole('button', { name: new RegExp(`^${en['phone.people']}`) });
		await tabTo(ranaPage, people, { max: 120 });
		await ranaPage.keyboard.press('Enter');
		const entry = ranaPage
			.getByRole('dialog', { name: en['room.listeners'] })
			.getByRole('listitem', { name: tariq.user.displayName })
			.getByRole('button');
		await tabTo(ranaPage, entry, { max: 120 });
		await ranaPage.keyboard.press('Enter');
		const dialog = ranaPage.getByRole('dialog', { name: tariq.user.displayName });
		await visible(dialog);
		// A listener has no moderation actions on another listener, only Report and Block.
		expect(await dialog.getByRole('button', { name: en['room.removeFromRoom'] }).count()).toBe(0);
		expect(await runAxe(ranaPage)).toEqual([]);

		// Report: a reason, sent; the host's live queue shows it.
		await tabTo(ranaPage, dialog.getByRole('button', { name: `Report ${tariq.user.displayName}` }));
		await ranaPage.keyboard.press('Enter');
		await dialog.getByLabel(en['report.reason']).focus();
		await ranaPage.keyboard.type('shouting over the speakers');
		await ranaPage.keyboard.press('Enter');
		await visible(dialog.getByRole('status').filter({ hasText: en['report.sent'] }));
		await visible(
			hostPage
				.getByRole('region', { name: en['report.queue'] })
				.getByRole('listitem')
				.filter({ hasText: 'shouting over the speakers' })
		);

		// Block, then Unblock: the button says which, and the API agrees each time.
		await tabTo(ranaPage, dialog.getByRole('button', { name: `Block ${tariq.user.displayName}` }));
		await ranaPage.keyboard.press('Enter');
		await visible(dialog.getByRole('button', { name: `Unblock ${tariq.user.displayName}` }));
		expect(await blocksOf(rana)).toEqual([tariq.user.id]);
		expect(await runAxe(ranaPage)).toEqual([]);
		// Escape closes the dialog and gives focus back to the entry it came from.
		await ranaPage.keyboard.press('Escape');
		await expect.poll(() => dialog.count(), { timeout: WAIT.ui }).toBe(0);
		await expect.poll(() => entry.evaluate((el) => el === document.activeElement)).toBe(true);
		// Opened again, it remembers the block; Unblock lifts it.
		await ranaPage.keyboard.press('Enter');
		await dialog.getByRole('button', { name: `Unblock ${tariq.user.displayName}` }).click();
		await visible(dialog.getByRole('button', { name: `Block ${tariq.user.displayName}` }));
		expect(await blocksOf(rana)).toEqual([]);
		// The dialog fits the phone's width.
		const box = await dialog.boundingBox();
		expect(box!.width).toBeLessThanOrEqual(360);
	});

	test("in Arabic, a listener reports and blocks the host from the host's tile on the stage", async () => {
		const tariqPage = await open(tariq, 'tariq (ar)', 'ar');
		expect(await tariqPage.evaluate(() => document.documentElement.dir)).toBe('rtl');
		const tile = tariqPage
			.getByRole('region', { name: ar['room.stage'] })
			.getByRole('listitem', { name: host.user.displayName, exact: true })
			.getByRole('button');
		await tabTo(tariqPage, tile, { max: 120 });
		await tariqPage.keyboard.press('Enter');
		const dialog = tariqPage.getByRole('dialog', { name: host.user.displayName });
		await visible(dialog);
		expect(await dialog.getByRole('button', { name: ar['room.mute'], exact: true }).count()).toBe(0);

		const name = host.user.displayName;
		await dialog.getByRole('button', { name: ar['report.named'].replace('{name}', name) }).click();
		await dialog.getByLabel(ar['report.reason']).fill('كلام مسيء');
		await dialog.getByRole('button', { name: ar['report.send'] }).click();
		await visible(dialog.getByRole('status').filter({ hasText: ar['report.sent'] }));
		const reports = await product.api<{ items: { reporter: { id: string }; reason: string }[] }>(
			'GET',
			`/api/rooms/${room.id}/reports`,
			host.token
		);
		expect(reports.items).toContainEqual(
			expect.objectContaining({
				reporter: expect.objectContaining({ id: tariq.user.id }),
				reason: 'كلام مسيء',
			})
		);

		await dialog.getByRole('button', { name: ar['block.blockNamed'].replace('{name}', name) }).click();
		await visible(dialog.getByRole('button', { name: ar['block.unblockNamed'].replace('{name}', name) }));
		expect(await blocksOf(tariq)).toEqual([host.user.id]);
		expect(await runAxe(tariqPage)).toEqual([]);
		await dialog.getByRole('button', { name: ar['room.close'] }).click();
		await expect.poll(() => dialog.count(), { timeout: WAIT.ui }).toBe(0);
		// Blocking someone does not take the blocker out of the room they are in.
		await visible(tariqPage.getByRole('region', { name: ar['room.controls'] }));
	});
});
