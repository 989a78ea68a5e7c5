import type { Room } from '@majlis/protocol';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, joinRoom, stageMember, visible, WAIT } from './room';
import { BrowserStack } from './stack';

/** Whether `locator` has keyboard focus now. */
function focused(locator: Locator): Promise<boolean> {
	return locator.evaluate((el) => el === document.activeElement);
}

/** The text of the elements `aria-describedby` names: what a screen reader reads after the name. */
function description(locator: Locator): Promise<string> {
	return locator.evaluate((el) =>
		(el.getAttribute('aria-describedby') ?? '')
			.split(/\s+/)
			.map((id) => document.getElementById(id)?.textContent ?? '')
			.join(' ')
			.trim()
	);
}

describe.skipIf(!hasChromium())('the live room says what happens and asks before it is final', () => {
	let product: Product;
	let host: TestUser;
	let cohost: TestUser;
	let karim: TestUser;
	let sara: TestUser;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		// A short host grace, so the co-host takeover happens within the test.
		product = await startProduct({ env: { HOST_GRACE_MS: '3000' } });
		host = await product.signUp(uniqueHandle('mariam'), 'Mariam Khalil');
		cohost = await product.signUp(uniqueHandle('omar'), 'Omar Farouk');
		karim = await product.signUp(uniqueHandle('karim'), 'Karim Mansour');
		sara = await product.signUp(uniqueHandle('sara'), 'Sara Haddad');
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	function pageFor(user: TestUser, label: string): Promise<Page> {
		return stack.pageAs(browser, product.url, user, 'en', label);
	}

	function liveRoom(title: string, input: Record<string, unknown> = {}): Promise<Room> {
		return product.startRoom(host, { title, ...input });
	}

	async function joinAll(room: Room, pages: Page[]): Promise<void> {
		for (const p of pages) {
			await joinRoom(p, room.id);
			await visible(controls(p));
		}
	}

	test('invite, mute, a full stage, a removal and its undo: focus, visible notices and a confirmation', async () => {
		const room = await liveRoom('Safety first', { maxSpeakers: 2 });
		const hostPage = await pageFor(host, 'host');
		const karimPage = await pageFor(karim, 'karim');
		const saraPage = await pageFor(sara, 'sara');
		await joinAll(room, [hostPage, karimPage, saraPage]);

		// Sara asks to speak; the host invites her from the queue and keeps keyboard focus in the queue.
		await controls(saraPage).getByRole('button', { name: 'Request to speak' }).click();
		const hands = hostPage.getByRole('region', { name: 'Requests to speak' });
		await hands
			.getByRole('listitem', { name: 'Sara Haddad' })
			.getByRole('button', { name: 'Invite to speak' })
			.click();
		const handsHeading = hands.getByRole('heading', { name: /Requests to speak/ });
		await expect.poll(() => focused(handsHeading), { timeout: WAIT.ui }).toBe(true);
		await saraPage.getByRole('button', { name: 'Accept' }).click();
		await controls(saraPage).getByRole('button', { name: 'Unmute' }).click();
		await visible(controls(saraPage).getByRole('button', { name: 'Mute' }));

		// The host mutes her: she sees who did it, not only her screen reader.
		const saraTile = stageMember(hostPage, 'Sara Haddad').getByRole('button');
		await saraTile.click();
		await hostPage.getByRole('dialog', { name: 'Sara Haddad' }).getByRole('button', { name: 'Mute' }).click();
		const mutedBy = saraPage.locator('.banners').getByText('Mariam Khalil muted you', { exact: true });
		await visible(mutedBy);
		// Closing the person dialog put focus back on the tile that opened it.
		expect(await focused(saraTile)).toBe(true);

		// Escape closes a person dialog the same way.
		await saraTile.click();
		await visible(hostPage.getByRole('dialog', { name: 'Sara Haddad' }));
		await hostPage.keyboard.press('Escape');
		await expect.poll(() => focused(saraTile), { timeout: WAIT.ui }).toBe(true);

		// Host and Sara fill the stage of two: inviting Karim is disabled, and says why.
		const karimRow = hostPage
			.getByRole('region', { name: 'Listeners' })
			.getByRole('listitem', { name: 'Karim Mansour' })
			.getByRole('button');
		await karimRow.click();
		const dialog = hostPage.getByRole('dialog', { name: 'Karim Mansour' });
		const invite = dialog.getByRole('button', { name: 'Invite to speak' });
		await visible(invite);
		expect(await invite.getAttribute('aria-disabled')).toBe('true');
		expect(await description(invite)).toBe('The stage is full (2 speakers).');
		// Playwright waits for an aria-disabled button to become enabled; force the click a person can make.
		await invite.click({ force: true });
		expect(await karimPage.getByRole('button', { name: 'Accept' }).count()).toBe(0);

		// Removing is for good, so it asks first; cancelling comes back to the same button.
		const remove = dialog.getByRole('button', { name: 'Remove from room' });
		await remove.click();
		const confirm = hostPage.getByRole('dialog', {
			name: 'Remove Karim Mansour from the room? They will not be able to come back.',
		});
		await visible(confirm);
		await confirm.getByRole('button', { name: 'Close' }).click();
		await expect.poll(() => confirm.isVisible(), { timeout: WAIT.ui }).toBe(false);
		expect(await focused(remove)).toBe(true);
		expect(await karimPage.getByRole('alert').filter({ hasText: 'You were removed' }).count()).toBe(0);
		await remove.click();
		await confirm.getByRole('button', { name: 'Remove from room' }).click();
		await visible(karimPage.getByRole('alert').filter({ hasText: 'You were removed from this room.' }));

		// Karim's home page no longer offers Join for that room.
		await karimPage.getByRole('link', { name: 'Back to rooms' }).click();
		const card = karimPage.getByRole('article', { name: 'Safety first' });
		await visible(card);
		expect(await card.getByRole('button', { name: 'Join' }).count()).toBe(0);

		// The undo: the host lets Karim back in from the list of removed people, and he can join again.
		const removedPanel = hostPage.getByRole('region', { name: 'Removed from this room' });
		await removedPanel
			.getByRole('listitem', { name: 'Karim Mansour' })
			.getByRole('button', { name: 'Let back in' })
			.click();
		await visible(removedPanel.getByRole('status').filter({ hasText: 'Karim Mansour can join again.' }));
		expect(await focused(removedPanel.getByRole('heading', { name: 'Removed from this room' }))).toBe(true);
		await card.getByRole('link', { name: 'Safety first' }).click();
		await karimPage.getByRole('button', { name: 'Join', exact: true }).click();
		await visible(controls(karimPage));
		for (const p of [hostPage, karimPage, saraPage]) {
			await p.context().close();
		}
		expect(stack.pageErrors).toEqual([]);
	});

	test('a co-host takeover shows in the header at once; a replaced tab offers one Join again', async () => {
		const room = await liveRoom('Handing over');
		await product.api('PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, host.token);
		const hostPage = await pageFor(host, 'host');
		const cohostPage = await pageFor(cohost, 'cohost');
		const saraPage = await pageFor(sara, 'sara');
		await joinAll(room, [hostPage, cohostPage, saraPage]);
		// The header's people and their badges, as read: "Mariam Khalil: Host".
		const headerRoles = () =>
			saraPage
				.locator('.room-hosts li')
				.evaluateAll((items) =>
					items.map(
						(li) => `${li.querySelector('bdi')?.textContent}: ${li.querySelector('.badge')?.textContent}`
					)
				);
		await expect
			.poll(headerRoles, { timeout: WAIT.ui })
			.toEqual(['Mariam Khalil: Host', 'Omar Farouk: Co-host']);

		// The host's tab dies (no leave); after the grace the co-host takes over, and everyone sees it.
		await hostPage.context().close();
		await visible(saraPage.locator('.banners').getByText(/^The host has disconnected\. If/));
		await visible(saraPage.locator('.banners').getByText('Omar Farouk is the host now', { exact: true }));
		await expect
			.poll(headerRoles, { timeout: WAIT.ui })
			.toEqual(['Omar Farouk: Host', 'Mariam Khalil: Co-host']);
		await visible(controls(cohostPage).getByRole('button', { name: 'End room' }));

		// Sara opens the room in a second tab: the first one says so, with exactly one way back.
		const second = await saraPage.context().newPage();
		stack.watch(second, 'sara, second tab');
		await joinRoom(second, room.id);
		await visible(controls(second));
		await visible(saraPage.getByRole('alert').filter({ hasText: 'You opened this room in another tab' }));
		expect(await saraPage.getByRole('button', { name: 'Join again' }).count()).toBe(1);
		expect(await saraPage.getByRole('button', { name: 'Join', exact: true }).count()).toBe(0);
		await saraPage.getByRole('button', { name: 'Join again' }).click();
		await visible(controls(saraPage));
		await saraPage.context().close();
		await cohostPage.context().close();
		expect(stack.pageErrors).toEqual([]);
	});

	test('the host hands the room to a co-host, asked first, on leaving too', async () => {
		const room = await liveRoom('Passing the mic');
		await product.api('PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, host.token);
		const hostPage = await pageFor(host, 'host');
		const cohostPage = await pageFor(cohost, 'cohost');
		const saraPage = await pageFor(sara, 'sara');
		await joinAll(room, [hostPage, cohostPage, saraPage]);

		// From the co-host's tile: Make host asks first; Close comes back to the button.
		const tile = stageMember(hostPage, 'Omar Farouk').getByRole('button');
		await tile.click();
		const makeHost = hostPage
			.getByRole('dialog', { name: 'Omar Farouk' })
			.getByRole('button', { name: 'Make host' });
		await makeHost.click();
		const confirm = hostPage.getByRole('dialog', {
			name: 'Hand the room to Omar Farouk? You become a co-host.',
		});
		await confirm.getByRole('button', { name: 'Close' }).click();
		expect(await focused(makeHost)).toBe(true);
		await hostPage.keyboard.press('Escape');

		// Leaving as host offers the hand-over by name; the co-host is host at once, for everyone.
		await controls(hostPage).getByRole('button', { name: 'Leave' }).click();
		const question = hostPage.getByRole('dialog', {
			name: 'End the room for everyone, or leave and hand it to a co-host?',
		});
		await question.getByRole('button', { name: 'Hand to Omar Farouk and leave' }).click();
		await visible(hostPage.getByRole('heading', { level: 1, name: 'Rooms' }));
		await visible(controls(cohostPage).getByRole('button', { name: 'End room' }));
		await visible(saraPage.locator('.banners').getByText('Omar Farouk is the host now', { exact: true }));
		const roles = await saraPage
			.locator('.room-hosts li')
			.evaluateAll((items) =>
				items.map(
					(li) => `${li.querySelector('bdi')?.textContent}: ${li.querySelector('.badge')?.textContent}`
				)
			);
		expect(roles).toEqual(['Omar Farouk: Host', 'Mariam Khalil: Co-host']);
		// The API's record agrees: the room's host changed, the former host is a co-host.
		const after = await product.api<Room>('GET', `/api/rooms/${room.id}`, sara.token);
		expect([after.host.id, after.cohosts.map((c) => c.id)]).toEqual([cohost.user.id, [host.user.id]]);
		for (const p of [hostPage, cohostPage, saraPage]) {
			await p.context().close();
		}
		expect(stack.pageErrors).toEqual([]);
	});
});
