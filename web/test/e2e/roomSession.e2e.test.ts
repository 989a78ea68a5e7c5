import type { Room } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium, recordPeerConnections } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import {
	controls,
	expectAudioFlowing,
	hostSpeaks,
	joinRoom,
	readCounters,
	stageMember,
	visible,
	WAIT,
} from './room';
import { BrowserStack } from './stack';
import { inboundAudio } from './webrtc';

describe.skipIf(!hasChromium())('the room outlives its page', () => {
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let speaker: TestUser;
	let room: Room;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('layla'), 'Layla Nasser');
		listener = await product.signUp(uniqueHandle('yusuf'), 'Yusuf Haddad');
		speaker = await product.signUp(uniqueHandle('noor'), 'Noor Saleh');
		room = await product.startRoom(host, { title: 'Evening radio' });
	});

	afterAll(() => stack.close(product));

	test('browsing keeps the audio in a mini-player; a speaker who reloads is back on stage, unmuted', async () => {
		const hostPage = await stack.signedIn(product.url, host, 440);
		await hostSpeaks(hostPage, room.id);

		// A listener in a browser of its own, whose peer connections the test can read.
		const listenerOptions = { baseURL: product.url, lang: 'en' as const, token: listener.token };
		const page = await stack.pageIn(
			await stack.browser(),
			listenerOptions,
			'listener',
			recordPeerConnections
		);
		await joinRoom(page, room.id);
		await visible(controls(page));
		await expectAudioFlowing(page);

		// Home, through the header: the room keeps playing in the docked player.
		await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
		await visible(page.getByRole('heading', { level: 1, name: 'Rooms' }));
		const player = page.getByRole('region', { name: 'Now playing' });
		await visible(player.getByRole('link', { name: 'Evening radio' }));
		await visible(player.getByRole('button', { name: 'Leave' }));
		expect(await controls(page).count()).toBe(0);
		const before = (await inboundAudio(page)).packets;
		await expect
			.poll(async () => (await inboundAudio(page)).packets, { timeout: WAIT.media, interval: 500 })
			.toBeGreaterThan(before + 50);
		// The loudest speaker's avatar rings in the player.
		await visible(player.getByText('Layla Nasser is speaking'));
		// On a 360 px phone the player fits, its controls stay usable, and axe finds nothing serious.
		await page.setViewportSize({ width: 360, height: 780 });
		const box = await player.boundingBox();
		expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
		expect(await runAxe(page)).toEqual([]);
		await page.setViewportSize({ width: 1280, height: 860 });

		// Back to the room from the player: still joined, no Join button, and the audio never stopped.
		await player.getByRole('link', { name: 'Evening radio' }).click();
		await visible(controls(page));
		expect(await page.getByRole('button', { name: 'Join', exact: true }).count()).toBe(0);
		expect(await player.count()).toBe(0);
		await expectAudioFlowing(page);

		// A speaker (own tone) comes on stage and unmutes, then reloads: back on stage, unmuted, no click.
		const speakerPage = await stack.signedIn(product.url, speaker, 660);
		await joinRoom(speakerPage, room.id);
		await controls(speakerPage).getByRole('button', { name: 'Request to speak' }).click();
		await hostPage
			.getByRole('region', { name: 'Requests to speak' })
			.getByRole('listitem', { name: 'Noor Saleh' })
			.getByRole('button', { name: 'Invite to speak' })
			.click();
		await speakerPage.getByRole('button', { name: 'Accept' }).click();
		await controls(speakerPage).getByRole('button', { name: 'Unmute' }).click();
		await visible(controls(speakerPage).getByRole('button', { name: 'Mute', exact: true }));

		await speakerPage.reload();
		await visible(controls(speakerPage).getByRole('button', { name: 'Mute', exact: true }), WAIT.media);
		await visible(controls(speakerPage).getByText('You are live'));
		expect(await speakerPage.getByRole('button', { name: 'Join', exact: true }).count()).toBe(0);
		await visible(stageMember(hostPage, 'Noor Saleh'));
		// Their microphone is back too: packets leave the reloaded page.
		const sent = (await readCounters(speakerPage)).sent;
		await expect
			.poll(async () => (await readCounters(speakerPage)).sent, { timeout: WAIT.media, interval: 500 })
			.toBeGreaterThan(sent + 25);

		// Leaving as host is a choice: end for everyone, or leave it to a co-host. Closing the question
		// keeps the room and puts focus back on Leave.
		const leave = controls(hostPage).getByRole('button', { name: 'Leave' });
		await leave.click();
		const question = hostPage.getByRole('dialog', {
			name: 'End the room for everyone, or leave and hand it to a co-host?',
		});
		await visible(question);
		await visible(question.getByRole('button', { name: 'Leave, a co-host takes over' }));
		await question.getByRole('button', { name: 'Close' }).click();
		await expect.poll(() => leave.evaluate((el) => el === document.activeElement)).toBe(true);
		await leave.click();
		await question.getByRole('button', { name: 'End room for everyone' }).click();
		await visible(page.getByRole('alert').filter({ hasText: 'The host ended this room.' }));
		await visible(hostPage.getByRole('heading', { level: 1, name: 'Rooms' }));
		expect(stack.pageErrors).toEqual([]);
	});
});
