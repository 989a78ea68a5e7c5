import type { Room } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, stageMember, tabTo, visible, WAIT } from './room';
import { BrowserStack } from './stack';

describe.skipIf(!hasChromium())('keyboard only', () => {
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let room: Room;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('nadia'), 'Nadia Karim');
		listener = await product.signUp(uniqueHandle('omar'), 'Omar Farouk');
		room = await product.startRoom(host, { title: 'Open mic, keyboard edition' });
	});

	afterAll(() => stack.close(product));

	test('request to speak with Tab, Enter and Space: the listener asks, the host invites, the listener accepts and unmutes', async () => {
		const name = listener.user.displayName;
		const hostPage = await stack.signedIn(product.url, host, 440);
		const page = await stack.signedIn(product.url, listener, 660);

		// Both join with the keyboard.
		await hostPage.goto(`/rooms/${room.id}`);
		await tabTo(hostPage, hostPage.getByRole('button', { name: 'Join', exact: true }));
		await hostPage.keyboard.press('Enter');
		await visible(controls(hostPage));
		await page.goto(`/rooms/${room.id}`);
		await tabTo(page, page.getByRole('button', { name: 'Join', exact: true }));
		await page.keyboard.press('Enter');

		// The listener raises their hand with Space.
		await tabTo(page, controls(page).getByRole('button', { name: 'Request to speak' }));
		await page.keyboard.press('Space');
		await visible(controls(page).getByRole('button', { name: 'Cancel request' }));

		// The host reaches the raised hand with Tab and invites with Enter.
		const hand = hostPage.getByRole('region', { name: 'Requests to speak' }).getByRole('listitem', { name });
		await tabTo(hostPage, hand.getByRole('button', { name: 'Invite to speak' }));
		await hostPage.keyboard.press('Enter');

		// The invitation takes the listener's focus to Accept; Enter accepts.
		const accept = page.getByRole('button', { name: 'Accept' });
		await tabTo(page, accept);
		await page.keyboard.press('Enter');
		await visible(stageMember(page, name));

		// On stage, muted; Space on Unmute goes live, and the host sees them unmuted.
		await tabTo(page, controls(page).getByRole('button', { name: 'Unmute' }));
		await page.keyboard.press('Space');
		await visible(controls(page).getByText('You are live'));
		await expect
			.poll(() => stageMember(hostPage, name).textContent(), { timeout: WAIT.ui })
			.not.toMatch(/Muted|Microphone not connected/);
		await visible(controls(page).getByRole('button', { name: 'Mute', exact: true }));
		expect(stack.pageErrors).toEqual([]);
	});
});
