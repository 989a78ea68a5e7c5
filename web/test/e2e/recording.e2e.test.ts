import type { RoomAnalytics } from '@majlis/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { overflowingMain } from './phone';
import { type Product, startProduct, uniqueHandle } from './product';
import {
	controls,
	endRoom,
	expectAudioFlowing,
	expectRecordingReady,
	stageMember,
	visible,
	WAIT,
} from './room';
import { BrowserStack } from './stack';

function audioState(page: Page) {
	return page.locator('audio').evaluate((el: HTMLAudioElement) => ({
		time: el.currentTime,
		paused: el.paused,
		rate: el.playbackRate,
	}));
}

describe.skipIf(!hasChromium())('recording, replay and host analytics in real browsers', () => {
	let product: Product;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct({ redisDatabase: 7 });
	});

	afterAll(() => stack.close(product));

	test('host (440 Hz) and an invited speaker (880 Hz) are recorded with the button; the replay plays, seeks with 206 responses, is axe clean in both languages and fits 360 px; the ended room shows Replay and the figures', async () => {
		const host = await product.signUp(uniqueHandle('rana'), 'Rana Haddad');
		const speaker = await product.signUp(uniqueHandle('karim'), 'كريم سليمان');
		const title = 'Recorded majlis';
		const room = await product.createRoom(host, { title });
		const roomPath = `/rooms/${room.id}`;

		// The host turns recording on from the scheduled room's page, then starts the room.
		const hostPage = await stack.signedIn(product.url, host, 440);
		await hostPage.goto(roomPath);
		await hostPage.getByLabel('Record this room').check();
		await visible(hostPage.getByRole('status').filter({ hasText: 'Saved.' }));
		await hostPage.getByRole('button', { name: 'Start room' }).click();
		await controls(hostPage).getByRole('button', { name: 'Unmute' }).click();
		await visible(controls(hostPage).getByText('You are live'));

		// The speaker joins, asks to speak; the invitation says the room is recorded; accepting is consent.
		const speakerPage = await stack.signedIn(product.url, speaker, 880);
		await speakerPage.goto(roomPath);
		await speakerPage.getByRole('button', { name: 'Join', exact: true }).click();
		await expectAudioFlowing(speakerPage);
		await controls(speakerPage).getByRole('button', { name: 'Request to speak' }).click();
		await hostPage
			.getByRole('region', { name: 'Requests to speak' })
			.getByRole('listitem', { name: speaker.user.displayName })
			.getByRole('button', { name: 'Invite to speak' })
			.click();
		await visible(speakerPage.getByText('This room is recorded: accepting means you agree to be recorded.'));
		await speakerPage.getByRole('button', { name: 'Accept' }).click();
		await controls(speakerPage).getByRole('button', { name: 'Unmute' }).click();
		await visible(controls(speakerPage).getByText('You are live'));
		await visible(stageMember(hostPage, speaker.user.displayName));

		// Start recording: everyone sees the badge and hears it in the live region.
		await hostPage.getByRole('button', { name: 'Start recording' }).click();
		for (const page of [hostPage, speakerPage]) {
			await visible(page.getByText('Recording', { exact: true }));
			await visible(page.getByRole('log').filter({ hasText: 'Recording started.' }));
		}
		await expect.poll(() => speakerPage.getByRole('button', { name: 'Start recording' }).count()).toBe(0);
		await hostPage.waitForTimeout(7000);
		await hostPage.getByRole('button', { name: 'Stop recording' }).click();
		await visible(speakerPage.getByRole('log').filter({ hasText: 'Recording stopped.' }));
		await expect.poll(() => speakerPage.getByText('Recording', { exact: true }).count()).toBe(0);

		// The host ends the room; the recording is mixed.
		await endRoom(hostPage);
		await expectRecordingReady(product, room.id, host);

		// The ended room: Replay with its duration, and the host's figures from what happened.
		const figures = await product.api<RoomAnalytics>('GET', `/api/rooms/${room.id}/analytics`, host.token);
		expect(figures).toMatchObject({ peakListeners: 2, uniqueListeners: 2, handRaises: 1 });
		expect(figures.speakers.map((s) => s.userId).sort()).toEqual([host.user.id, speaker.user.id].sort());
		expect(figures.durationMs).toBeGreaterThan(7000);
		await hostPage.goto(roomPath);
		const figuresPanel = hostPage.getByRole('region', { name: 'Room figures' });
		await visible(figuresPanel);
		await visible(figuresPanel.getByRole('cell', { name: speaker.user.displayName }));
		// A listener has no figures panel (the API refuses them too).
		await speakerPage.goto(roomPath);
		await visible(speakerPage.getByRole('link', { name: /^Replay \(\d+:\d\d\)$/ }));
		await expect.poll(() => speakerPage.getByRole('region', { name: 'Room figures' }).count()).toBe(0);

		// The replay page: play, ±15 s, seek by jumping to a speaker's turn, speed; range responses.
		const ranges: number[] = [];
		hostPage.on('response', (r) => {
			if (r.url().includes('/files/mix.ogg')) {
				ranges.push(r.status());
			}
		});
		await hostPage.getByRole('link', { name: /^Replay \(/ }).click();
		await visible(hostPage.getByRole('heading', { level: 1, name: title }));
		await hostPage.getByRole('button', { name: 'Play' }).click();
		await visible(hostPage.getByRole('button', { name: 'Pause' }));
		await expect
			.poll(async () => (await audioState(hostPage)).time, { timeout: WAIT.ui })
			.toBeGreaterThan(0.5);
		await hostPage.getByLabel('Playback speed').selectOption('1.5');
		expect((await audioState(hostPage)).rate).toBe(1.5);
		await hostPage.getByRole('button', { name: 'Pause' }).click();
		await hostPage.getByRole('button', { name: 'Back 15 seconds' }).click();
		expect((await audioState(hostPage)).time).toBeLessThan(0.5);
		// Keyboard: the position slider moves by arrows.
		const position = hostPage.getByRole('slider', { name: 'Position' });
		await position.focus();
		for (let i = 0; i < 4; i++) {
			await hostPage.keyboard.press('ArrowRight');
		}
		await expect.poll(async () => (await audioState(hostPage)).time).toBeGreaterThan(3.5);
		// The speakers are listed; jumping to a turn seeks there and plays.
		const speakers = hostPage
			.getByRole('list')
			.filter({ has: hostPage.getByText(speaker.user.displayName) })
			.first();
		await visible(speakers);
		const turn = hostPage
			.getByRole('button', { name: new RegExp(`^Jump to ${speaker.user.displayName} at`) })
			.first();
		await turn.click();
		await visible(hostPage.getByRole('button', { name: 'Pause' }));
		await visible(hostPage.getByText('speaking now').first(), WAIT.ui);
		expect(ranges.length).toBeGreaterThan(0);
		expect(ranges).toContain(206);
		await hostPage.getByRole('button', { name: 'Pause' }).click();

		expect(await runAxe(hostPage)).toEqual([]);
		await hostPage.setViewportSize({ width: 360, height: 740 });
		expect(await overflowingMain(hostPage)).toEqual([]);

		// Arabic: the same page, mirrored, with its own names; still axe clean and fits 360 px.
		await speakerPage.evaluate(() => localStorage.setItem('majlis.lang', 'ar'));
		await speakerPage.goto(`${roomPath}/replay`);
		await visible(speakerPage.getByRole('button', { name: 'تشغيل' }));
		await visible(speakerPage.getByLabel('سرعة التشغيل'));
		expect(await speakerPage.evaluate(() => document.documentElement.dir)).toBe('rtl');
		expect(await runAxe(speakerPage)).toEqual([]);
		await speakerPage.setViewportSize({ width: 360, height: 740 });
		expect(await overflowingMain(speakerPage)).toEqual([]);
		expect(stack.pageErrors).toEqual([]);
	}, 240_000);
});
