import type { RecordingView } from '@majlis/protocol';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Product, TestUser } from './product';

/** Generous bounds for waits on a loaded two-core machine (other suites may run at the same time). */
export const WAIT = { ui: 30_000, media: 45_000 } as const;

/** The viewer's own controls (Mute/Unmute, Request to speak, End room, Leave…). */
export function controls(page: Page): Locator {
	return page.getByRole('region', { name: 'Your controls' });
}

/** A person on stage, by display name. */
export function stageMember(page: Page, name: string): Locator {
	return page.getByRole('region', { name: 'Stage' }).getByRole('listitem', { name, exact: true });
}

/** Waits until `locator` is visible (Playwright's own auto-wait, with the suite's bound). */
export async function visible(locator: Locator, timeout: number = WAIT.ui): Promise<void> {
	await locator.waitFor({ state: 'visible', timeout });
}

/** Audio counters from the "Connection details" panel. */
export interface Counters {
	/** Audio packets received. */
	packets: number;
	/** Audio energy received (sum of squared levels × seconds; grows only while sound is decoded). */
	energy: number;
	/** Audio packets sent. */
	sent: number;
}

async function cell(page: Page, label: string): Promise<number> {
	const text = await page
		.getByRole('row', { name: label })
		.getByRole('cell')
		.textContent({ timeout: WAIT.ui });
	const value = Number(text);
	if (!Number.isFinite(value)) {
		throw new Error(`"${label}" shows "${text}", not a number`);
	}

	return value;
}

/** Opens "Connection details" (once) and reads the audio counters the UI shows (refreshed every second). */
export async function readCounters(page: Page): Promise<Counters> {
	const summary = page.getByText('Connection details', { exact: true });
	const details = page.locator('details', { has: summary });
	if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
		await summary.click();
	}

	return {
		packets: await cell(page, 'Audio packets received'),
		energy: await cell(page, 'Audio energy received'),
		sent: await cell(page, 'Audio packets sent'),
	};
}

/** How much the counters grew over `ms` (a measuring window, not a wait for readiness). */
export async function growth(page: Page, ms = 2500): Promise<Counters> {
	const before = await readCounters(page);
	await page.waitForTimeout(ms);
	const after = await readCounters(page);

	return {
		packets: after.packets - before.packets,
		energy: after.energy - before.energy,
		sent: after.sent - before.sent,
	};
}

/** Waits until audio arrives: both the inbound packet count and the decoded energy go up. */
export async function expectAudioFlowing(page: Page): Promise<void> {
	const start = await readCounters(page);
	await expect
		.poll(async () => (await readCounters(page)).packets, { timeout: WAIT.media, interval: 500 })
		.toBeGreaterThan(start.packets + 25);
	await expect
		.poll(async () => (await readCounters(page)).energy, { timeout: WAIT.media, interval: 500 })
		.toBeGreaterThan(start.energy);
}

/** Waits until no audio arrives any more: over a whole window, neither packets nor energy grow. */
export async function expectAudioStopped(page: Page): Promise<void> {
	await expect
		.poll(
			async () => {
				const grown = await growth(page);

				return { packets: grown.packets, energy: grown.energy };
			},
			{ timeout: WAIT.media, interval: 0 }
		)
		.toEqual({ packets: 0, energy: 0 });
}

/**
 * Presses Tab (Shift+Tab with `backwards`) until `target` has focus, like a keyboard user would; fails
 * after `max` presses. Never clicks.
 */
export async function tabTo(
	page: Page,
	target: Locator,
	options: { max?: number; backwards?: boolean } = {}
) {
	await target.waitFor({ state: 'visible', timeout: WAIT.ui });
	const max = options.max ?? 60;
	for (let i = 0; i <= max; i++) {
		if (await target.evaluate((el) => el === document.activeElement)) {
			return;
		}
		await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
	}
	const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing');
	throw new Error(`could not reach ${target} with ${max} Tab presses; focus is on ${focused}`);
}

/** Opens the room's page and joins it (as a listener, or on stage for its host and co-hosts). */
export async function joinRoom(page: Page, roomId: string): Promise<void> {
	await page.goto(`/rooms/${roomId}`);
	await page.getByRole('button', { name: 'Join', exact: true }).click();
}

/**
 * The host's page joins the live room (or, with `start`, starts the scheduled one from its page) and
 * unmutes: once it returns the host is live, heard by everyone who joins.
 */
export async function hostSpeaks(page: Page, roomId: string, how: 'join' | 'start' = 'join'): Promise<void> {
	if (how === 'start') {
		await page.goto(`/rooms/${roomId}`);
		await page.getByRole('button', { name: 'Start room' }).click();
	} else {
		await joinRoom(page, roomId);
	}
	await controls(page).getByRole('button', { name: 'Unmute', exact: true }).click();
	await visible(controls(page).getByText('You are live'));
}

/** The host ends the room for everyone from its page and confirms (on a phone End room is under More). */
export async function endRoom(page: Page, options: { underMore?: boolean } = {}): Promise<void> {
	if (options.underMore) {
		await controls(page).getByRole('button', { name: 'More' }).click();
		await page
			.getByRole('dialog', { name: 'More actions' })
			.getByRole('button', { name: 'End room' })
			.click();
	} else {
		await controls(page).getByRole('button', { name: 'End room' }).click();
	}
	await page
		.getByRole('dialog', { name: 'End this room for everyone?' })
		.getByRole('button', { name: 'End room' })
		.click();
}

/** Waits until the room's recording is mixed and ready, as its host's list of recordings says. */
export async function expectRecordingReady(product: Product, roomId: string, host: TestUser): Promise<void> {
	const state = async () =>
		(await product.api<{ items: RecordingView[] }>('GET', `/api/rooms/${roomId}/recordings`, host.token))
			.items[0]?.state;
	await expect.poll(state, { timeout: WAIT.media }).toBe('ready');
}
