import type { Room } from '@majlis/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, newContext } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, joinRoom, visible, WAIT } from './room';
import { BrowserStack } from './stack';

// Reactions and chat in three browsers: a reaction floats for the two others, an Arabic message makes
// the round trip, slow mode refuses a second message in words, a moderator's deletion reaches everyone.
describe.skipIf(!hasChromium())('reactions and chat in a live room', () => {
	let product: Product;
	let host: TestUser;
	let mod: TestUser;
	let listener: TestUser;
	let visitor: TestUser;
	let pest: TestUser;
	let room: Room;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('nour'), 'Nour Khalil');
		mod = await product.signUp(uniqueHandle('omar'), 'Omar Aziz');
		listener = await product.signUp(uniqueHandle('rana'), 'Rana Said');
		visitor = await product.signUp(uniqueHandle('tariq'), 'Tariq Fares');
		pest = await product.signUp(uniqueHandle('badr'), 'Badr Nasr');
		room = await product.createRoom(host, { title: 'Poetry night' });
		await product.api('PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, host.token);
		await product.api('POST', `/api/rooms/${room.id}/start`, host.token);
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	async function open(user: TestUser, name: string, roomId = room.id): Promise<Page> {
		const page = await stack.pageAs(browser, product.url, user, 'en', name);
		await page.goto(`/rooms/${roomId}`);
		await page.getByRole('button', { name: 'Join', exact: true }).click();
		await visible(controls(page));

		return page;
	}

	const chat = (page: Page) => page.getByRole('region', { name: /^(Chat|الدردشة)$/ });

	test('reactions, an Arabic message, slow mode and a deletion, as three people see them', async () => {
		const hostPage = await open(host, 'host');
		const modPage = await open(mod, 'moderator');
		const listenerPage = await open(listener, 'listener');

		// A reaction from the listener floats for the host and the moderator.
		await listenerPage.getByRole('button', { name: 'Reactions' }).click();
		await listenerPage.getByRole('menuitem', { name: 'Heart' }).click();
		for (const page of [hostPage, modPage]) {
			await visible(page.locator('.reaction-float[data-reaction="heart"]').first(), WAIT.ui);
		}

		// An Arabic message with English in it arrives as written, isolated in its own direction.
		const text = 'مساء الخير يا Majlis! القصيدة التالية: https://example.org/poem';
		await chat(listenerPage).getByLabel('Message').fill(text);
		await chat(listenerPage).getByRole('button', { name: 'Send' }).click();
		for (const page of [hostPage, modPage, listenerPage]) {
			const message = chat(page).getByRole('listitem').filter({ hasText: 'مساء الخير يا Majlis!' });
			await visible(message);
			await expect(message.locator('bdi[dir="auto"]').textContent()).resolves.toBe(text);
			await expect(message.getByRole('link', { name: 'https://example.org/poem' }).count()).resolves.toBe(1);
		}

		await chat(listenerPage).getByLabel('Message').fill('first');
		await chat(listenerPage).getByRole('button', { name: 'Send' }).click();
		await visible(chat(hostPage).getByRole('listitem').filter({ hasText: 'first' }));

		// The moderator turns slow mode on: the listener's next message is refused, in words.
		await chat(modPage).getByLabel('Slow mode').selectOption('30');
		await visible(chat(listenerPage).getByText('Slow mode is on: one message every 30 s.'));
		await chat(listenerPage).getByLabel('Message').fill('second');
		await chat(listenerPage).getByRole('button', { name: 'Send' }).click();
		await visible(
			chat(listenerPage)
				.getByRole('alert')
				.filter({ hasText: /Slow mode is on: wait \d+ s before your next message\./ })
		);
		await expect(chat(hostPage).getByRole('listitem').filter({ hasText: 'second' }).count()).resolves.toBe(0);

		// The moderator deletes the first message: it disappears for everyone.
		await chat(modPage)
			.getByRole('listitem')
			.filter({ hasText: 'first' })
			.getByRole('button', { name: 'Delete message' })
			.click();
		for (const page of [hostPage, modPage, listenerPage]) {
			await expect
				.poll(() => chat(page).getByRole('listitem').filter({ hasText: 'first' }).count(), {
					timeout: WAIT.ui,
				})
				.toBe(0);
		}
		// A late joiner (the host's reload) gets the history without the deleted message.
		await hostPage.reload();
		await visible(chat(hostPage).getByRole('listitem').filter({ hasText: 'مساء الخير يا Majlis!' }));
		await expect(chat(hostPage).getByRole('listitem').filter({ hasText: 'first' }).count()).resolves.toBe(0);
	});
	test('banned by handle after leaving, or blocked by the host, a person cannot come back', async () => {
		const hostPage = await open(host, 'host (ban)');
		const visitorPage = await open(visitor, 'visitor');
		await chat(visitorPage).getByLabel('Message').fill('hello from Tariq');
		await chat(visitorPage).getByRole('button', { name: 'Send' }).click();
		await visible(chat(hostPage).getByRole('listitem').filter({ hasText: 'hello from Tariq' }));
		await visitorPage.context().close();

		// The host bans them by handle once they are gone; the moderation log says so.
		const ban = hostPage.getByRole('region', { name: 'Ban by handle' });
		await ban.getByLabel('Handle').fill(`@${visitor.user.handle}`);
		await ban.getByLabel('Reason').fill('spam');
		await ban.getByRole('button', { name: 'Ban' }).click();
		await visible(
			ban.getByRole('status').filter({ hasText: `@${visitor.user.handle} is banned from this room.` })
		);
		await visible(
			hostPage
				.getByRole('region', { name: 'Moderation log' })
				.getByRole('listitem')
				.filter({ hasText: 'spam' })
		);
		const back = await (
			await newContext(browser, { baseURL: product.url, lang: 'en', token: visitor.token })
		).newPage();
		stack.watch(back, 'visitor again');
		await joinRoom(back, room.id);
		await visible(back.getByRole('alert').filter({ hasText: 'You were removed from this room.' }));
		await expect(controls(back).count()).resolves.toBe(0);

		// Someone blocks a pest from their chat; the pest may not join a room of theirs again.
		const modsRoom = await product.startRoom(mod, { title: 'Omar’s room' });
		const listenerPage = await open(pest, 'pest', modsRoom.id);
		const modPage = await open(mod, 'moderator (block)', modsRoom.id);
		await chat(listenerPage).getByLabel('Message').fill('am I annoying?');
		await chat(listenerPage).getByRole('button', { name: 'Send' }).click();
		const message = chat(modPage).getByRole('listitem').filter({ hasText: 'am I annoying?' });
		await message.getByRole('button', { name: `Block ${pest.user.displayName}` }).click();
		await expect.poll(() => message.count(), { timeout: WAIT.ui }).toBe(0);
		// Their tab goes; a new one may not join the room of the person who blocked them.
		await listenerPage.context().close();
		const again = await (
			await newContext(browser, { baseURL: product.url, lang: 'en', token: pest.token })
		).newPage();
		stack.watch(again, 'pest again');
		await joinRoom(again, modsRoom.id);
		await visible(again.getByRole('alert').filter({ hasText: 'You were removed from this room.' }));
		await expect(controls(again).count()).resolves.toBe(0);
	});
});
