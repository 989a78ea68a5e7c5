import type { Room } from '@majlis/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, newContext } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, joinRoom, visible, WAIT } from './room';
import { BrowserStack } from './stack';

describe.skipIf(!hasChromium())('removing someone from a room', () => {
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let room: Room;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('huda'), 'Huda Saleh');
		listener = await product.signUp(uniqueHandle('karim'), 'Karim Mansour');
		room = await product.startRoom(host, { title: 'Ask me anything' });
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	test('the removed listener is told so and cannot join again, even after a reload', async () => {
		const name = listener.user.displayName;
		const hostPage = await (
			await newContext(browser, { baseURL: product.url, lang: 'en', token: host.token })
		).newPage();
		const page = await (
			await newContext(browser, { baseURL: product.url, lang: 'en', token: listener.token })
		).newPage();
		stack.watch(hostPage, 'host');
		stack.watch(page, 'listener');
		for (const p of [hostPage, page]) {
			await joinRoom(p, room.id);
			await visible(controls(p));
		}

		// The host opens the listener's options from the listener list and removes them.
		await hostPage
			.getByRole('region', { name: 'Listeners' })
			.getByRole('listitem', { name })
			.getByRole('button')
			.click();
		await hostPage.getByRole('dialog', { name }).getByRole('button', { name: 'Remove from room' }).click();
		// A removal is for good, so it asks first (roomSafety.e2e.test.ts covers cancelling and the undo).
		await hostPage
			.getByRole('dialog', { name: `Remove ${name} from the room? They will not be able to come back.` })
			.getByRole('button', { name: 'Remove from room' })
			.click();

		const removed = page.getByRole('alert').filter({ hasText: 'You were removed from this room.' });
		await visible(removed);
		await expect.poll(() => controls(page).count(), { timeout: WAIT.ui }).toBe(0);
		await expect(page.getByRole('button', { name: 'Join', exact: true }).count()).resolves.toBe(0);
		await expect
			.poll(
				() => hostPage.getByRole('region', { name: 'Listeners' }).getByRole('listitem', { name }).count(),
				{
					timeout: WAIT.ui,
				}
			)
			.toBe(0);

		// A reload offers Join again (the page cannot know yet), but joining is refused the same way.
		await page.reload();
		await page.getByRole('button', { name: 'Join', exact: true }).click();
		await visible(removed);
		await expect(controls(page).count()).resolves.toBe(0);
		await expect(page.getByRole('button', { name: 'Join', exact: true }).count()).resolves.toBe(0);
		// The server is the one refusing: the ban is persisted, not a client-side flag.
		await expect(product.api('POST', `/api/rooms/${room.id}/join`, listener.token)).rejects.toThrow(
			/403.*banned/
		);
		expect(stack.pageErrors).toEqual([]);
	});
});
