import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Room } from '@majlis/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { controls, hostSpeaks, joinRoom, stageMember, visible, WAIT } from './room';
import { BrowserStack } from './stack';

// The product runs in this process, so the test can watch mediasoup's own objects through its global
// observer and pause one consumer at the SFU, as congestion or a server fault would.
interface Observed {
	appData: Record<string, unknown>;
	observer: { on(event: string, listener: (child: Observed) => void): void };
	pause?: () => Promise<void>;
	closed?: boolean;
}
const sfuRequire = createRequire(
	join(fileURLToPath(new URL('../../../services/sfu/', import.meta.url)), 'package.json')
);
const mediasoup = sfuRequire('mediasoup') as { observer: Observed['observer'] };

interface SfuConsumer {
	listenerId: string;
	speakerId: string;
	consumer: Observed;
}

function watchConsumers(): SfuConsumer[] {
	const found: SfuConsumer[] = [];
	mediasoup.observer.on('newworker', (worker) =>
		worker.observer.on('newrouter', (router) =>
			router.observer.on('newtransport', (transport) =>
				transport.observer.on('newconsumer', (consumer) => {
					found.push({
						listenerId: String(transport.appData.userId),
						speakerId: String(consumer.appData.userId),
						consumer,
					});
				})
			)
		)
	);

	return found;
}

function voiceRow(page: Page, name: string): Locator {
	return page
		.locator('details.diagnostics')
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

// The diagnostics panel lies inside a 360 px viewport and scrolls nothing sideways (the rest of the
// room's phone layout is another change's).
function fitsPhone(page: Page): Promise<boolean> {
	return page.locator('details.diagnostics').evaluate((panel) => {
		const box = panel.getBoundingClientRect();

		return box.left >= 0 && box.right <= 360 && panel.scrollWidth <= panel.clientWidth;
	});
}

async function expectVerdict(page: Page, name: string, verdict: string): Promise<void> {
	await expect
		.poll(async () => (await voiceRow(page, name).getByRole('cell').first().textContent()) ?? '', {
			timeout: WAIT.media,
			interval: 500,
		})
		.toContain(verdict);
}

describe.skipIf(!hasChromium())('listening on a phone: lock screen and connection diagnostics', () => {
	let product: Product;
	let host: TestUser;
	let listener: TestUser;
	let room: Room;
	const consumers = watchConsumers();
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct();
		host = await product.signUp(uniqueHandle('huda'), 'Huda Karim');
		listener = await product.signUp(uniqueHandle('omar'), 'Omar Saleh');
		room = await product.startRoom(host, { title: 'Late night football talk' });
	});

	afterAll(() => stack.close(product));

	test('the lock screen shows the room and "stop" leaves; a muted speaker and a paused consumer get different verdicts', async () => {
		const hostPage = await stack.signedIn(product.url, host, 440);
		await hostSpeaks(hostPage, room.id);

		const page = await stack.signedIn(product.url, listener, 660);
		await page.setViewportSize({ width: 360, height: 780 });
		// Chromium offers no way to press a lock-screen button from a test: keep the handlers the page sets.
		await page.addInitScript(() => {
			const handlers: Record<string, MediaSessionActionHandler | null> = {};
			const original = MediaSession.prototype.setActionHandler;
			MediaSession.prototype.setActionHandler = function (action, handler) {
				handlers[action] = handler;
				original.call(this, action, handler);
			};
			(window as unknown as { mediaSessionHandlers: typeof handlers }).mediaSessionHandlers = handlers;
		});
		await joinRoom(page, room.id);
		await visible(stageMember(page, 'Huda Karim'));

		// The lock screen: the room's title, the host, the app's artwork.
		await expect
			.poll(() => page.evaluate(() => navigator.mediaSession.metadata?.title ?? null), { timeout: WAIT.ui })
			.toBe('Late night football talk');
		const metadata = await page.evaluate(() => ({
			artist: navigator.mediaSession.metadata?.artist,
			artwork: navigator.mediaSession.metadata?.artwork.map((a) => a.sizes),
			state: navigator.mediaSession.playbackState,
		}));
		expect(metadata).toEqual({ artist: 'Huda Karim', artwork: ['192x192', '512x512'], state: 'playing' });

		// Diagnostics: the host's voice arrives.
		await page.getByText('Connection diagnostics', { exact: true }).click();
		await expectVerdict(page, 'Huda Karim', 'Receiving');
		expect(Number(await voiceRow(page, 'Huda Karim').getByRole('cell').nth(1).textContent())).toBeGreaterThan(
			0
		);

		// The host mutes at the source: "muted by the speaker", not a network fault.
		await controls(hostPage).getByRole('button', { name: 'Mute', exact: true }).click();
		await expectVerdict(page, 'Huda Karim', 'Muted by the speaker');
		await controls(hostPage).getByRole('button', { name: 'Unmute', exact: true }).click();
		await expectVerdict(page, 'Huda Karim', 'Receiving');

		// The SFU pauses this listener's consumer of the host: the server still hears her, this device gets
		// nothing — "not reaching you".
		const entry = consumers.find(
			(c) => c.listenerId === listener.user.id && c.speakerId === host.user.id && !c.consumer.closed
		);
		expect(entry, 'the listener consumes the host at the SFU').toBeDefined();
		await entry?.consumer.pause?.();
		await expectVerdict(page, 'Huda Karim', 'Not reaching you (network)');

		// The speaker sees their own way up: reaching the server, with a bitrate.
		await hostPage.getByText('Connection diagnostics', { exact: true }).click();
		await visible(hostPage.getByText('reaching the server', { exact: true }), WAIT.media);

		// The report for support is the same diagnosis as JSON.
		await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
		await page.getByRole('button', { name: 'Copy diagnostic report' }).click();
		await visible(page.getByText('Report copied.'));
		const report = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as {
			kind: string;
			roomId: string;
			voices: { displayName: string; verdict: string; packetsPerSecond: number }[];
		};
		expect(report.kind).toBe('majlis-diagnostics');
		expect(report.roomId).toBe(room.id);
		expect(report.voices).toEqual([
			expect.objectContaining({ displayName: 'Huda Karim', verdict: 'notReachingYou', packetsPerSecond: 0 }),
		]);

		// What this adds passes axe and fits a 360 px phone.
		expect(await runAxe(page)).toEqual([]);
		expect(await fitsPhone(page)).toBe(true);

		// In Arabic the same verdict reads in Arabic, right to left, and still passes axe.
		await page.getByRole('button', { name: 'العربية' }).click();
		await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
		await visible(page.getByText('لا يصل إليك (الشبكة)', { exact: true }), WAIT.ui);
		expect(await runAxe(page)).toEqual([]);
		expect(await fitsPhone(page)).toBe(true);
		await page.getByRole('button', { name: 'English' }).click();
		await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('ltr');

		// The mic check opens as a dialog with a level meter, and closes.
		await page.getByRole('button', { name: 'Check microphone' }).click();
		const dialog = page.getByRole('dialog', { name: 'Microphone check' });
		await visible(dialog);
		await visible(dialog.getByRole('meter', { name: 'Input level' }));
		expect(await runAxe(page)).toEqual([]);
		await dialog.getByRole('button', { name: 'Close' }).click();

		// The lock screen's "stop" leaves the room.
		await page.evaluate(() =>
			(
				window as unknown as { mediaSessionHandlers: Record<string, (() => void) | null> }
			).mediaSessionHandlers.stop?.()
		);
		await expect.poll(() => controls(page).count(), { timeout: WAIT.ui }).toBe(0);
		await expect
			.poll(() => page.evaluate(() => navigator.mediaSession.metadata), { timeout: WAIT.ui })
			.toBeNull();
		expect(stack.pageErrors).toEqual([]);
	});
});
