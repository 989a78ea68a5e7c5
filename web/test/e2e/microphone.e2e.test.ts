import type { Room } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchChromium, newContext } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, visible, WAIT } from './room';
import { BrowserStack } from './stack';

describe.skipIf(!hasChromium())('microphone permission', () => {
	let product: Product;
	let host: TestUser;
	let room: Room;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('rania'), 'Rania Aziz');
		room = await product.startRoom(host, { title: 'Morning news review' });
	});

	afterAll(() => stack.close(product));

	test('a blocked microphone is explained on stage, and retrying works once it is allowed', async () => {
		// No automatic acceptance and no granted permission: Chromium dismisses the prompt (NotAllowedError).
		const browser = stack.adopt(await launchChromium({ acceptPrompts: false }));
		const context = await newContext(browser, {
			baseURL: product.url,
			lang: 'en',
			token: host.token,
			microphone: false,
		});
		const page = await context.newPage();
		stack.watch(page, 'host');
		await page.goto(`/rooms/${room.id}`);
		// The host is on stage as soon as they join, so the microphone starts right away.
		await page.getByRole('button', { name: 'Join', exact: true }).click();
		const denied = page.getByRole('alert').filter({ hasText: 'Microphone access was denied.' });
		await visible(denied);
		expect(await denied.textContent()).toContain('Allow it in your browser’s site settings, then try again.');

		// Allowing it in the browser and retrying starts the microphone (muted, as a new speaker).
		await context.grantPermissions(['microphone']);
		await denied.getByRole('button', { name: 'Try the microphone again' }).click();
		await expect.poll(() => denied.count(), { timeout: WAIT.ui }).toBe(0);
		await visible(controls(page).getByText('You are muted'));
		expect(stack.pageErrors).toEqual([]);
	});
});
