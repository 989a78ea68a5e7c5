import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Room } from '@majlis/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { overflowingMain } from './phone';
import { type Product, startProduct, type TestUser, uniqueHandle } from './product';
import { visible } from './room';
import { BrowserStack } from './stack';

const work = mkdtempSync(join(tmpdir(), 'majlis-past-rooms-'));

// A 4.2 s Ogg/Opus file made by ffmpeg: what the SFU uploads as a recording's mix.
function mixFile(): Buffer {
	const file = join(work, 'mix.ogg');
	execFileSync('ffmpeg', [
		...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4.2'],
		...['-ac', '1', '-c:a', 'libopus', file],
	]);

	return readFileSync(file);
}

describe.skipIf(!hasChromium())('past rooms on the home page, with their replays', () => {
	let product: Product;
	const stack = new BrowserStack();

	beforeAll(async () => {
		product = await startProduct({ redisDatabase: 9 });
	});

	afterAll(async () => {
		await stack.close(product);
		rmSync(work, { recursive: true, force: true });
	});

	// A room that was recorded and has ended: the recording made through the API's internal routes, as
	// the SFU makes it (created, marked processing, files uploaded, finished when `ready` is true).
	async function endedRecordedRoom(host: TestUser, title: string, ready: boolean) {
		const room = await product.createRoom(host, { title });
		await product.api('PUT', `/api/rooms/${room.id}/recordings/setting`, host.token, { enabled: true });
		await product.api('POST', `/api/rooms/${room.id}/start`, host.token);
		const sfu = await product.serviceToken();
		const recording = await product.api<{ id: string; startedAt: number }>(
			'POST',
			`/api/internal/rooms/${room.id}/recordings`,
			sfu,
			{ by: host.user.id }
		);
		await product.api('POST', `/api/internal/recordings/${recording.id}/processing`, sfu);
		await product.api('POST', `/api/rooms/${room.id}/end`, host.token);
		const finish = async () => {
			const put = await fetch(`${product.url}/api/internal/recordings/${recording.id}/files/mix.ogg`, {
				method: 'PUT',
				headers: { authorization: `Bearer ${sfu}`, 'content-type': 'application/octet-stream' },
				body: new Uint8Array(mixFile()),
			});
			expect(put.status).toBe(204);
			await product.api('POST', `/api/internal/recordings/${recording.id}/finish`, sfu, {
				state: 'ready',
				durationMs: 4200,
				tracks: [],
				timeline: {
					startedAt: recording.startedAt,
					durationMs: 4200,
					people: [],
					stage: [],
					speaking: [],
					muted: [],
					events: [],
				},
			});
		};
		if (ready) {
			await finish();
		}

		return { room, finish };
	}

	const card = (page: Page, room: Room) =>
		page
			.getByRole('region', { name: /Past rooms|غرف سابقة/ })
			.getByRole('article')
			.filter({ hasText: room.title });

	test('ended rooms list under "Past rooms" with "Replay (duration)", or "processing…" until the mix is ready; en/ar, axe, 360 px', async () => {
		const host = await product.signUp(uniqueHandle('hala'), 'Hala Nasser');
		const done = await endedRecordedRoom(host, 'Recorded and ready', true);
		const mixing = await endedRecordedRoom(host, 'Still being mixed', false);

		const page = await stack.page({ baseURL: product.url, lang: 'en', token: host.token, frequency: 440 });
		await page.setViewportSize({ width: 360, height: 780 });
		await page.goto('/');
		const past = page.getByRole('region', { name: 'Past rooms' });
		await visible(past);
		await visible(card(page, done.room).getByRole('link', { name: 'Replay (0:04)' }));
		await visible(card(page, mixing.room).getByRole('status').filter({ hasText: 'Replay: processing…' }));
		await expect(
			card(page, mixing.room)
				.getByRole('link', { name: /Replay/ })
				.count()
		).resolves.toBe(0);
		expect(await runAxe(page)).toEqual([]);
		expect(await overflowingMain(page)).toEqual([]);

		// The mix is ready: the card looks again by itself and offers the replay.
		await mixing.finish();
		await visible(card(page, mixing.room).getByRole('link', { name: 'Replay (0:04)' }));

		// The ended room's page offers it too, and the link leads to the player.
		await page.goto(`/rooms/${done.room.id}`);
		await page.getByRole('link', { name: 'Replay (0:04)' }).click();
		await page.waitForURL(`**/rooms/${done.room.id}/replay`);
		await visible(page.getByRole('button', { name: 'Play' }));

		// Arabic, right to left, on a phone.
		const ar = await stack.page({ baseURL: product.url, lang: 'ar', token: host.token, frequency: 440 });
		await ar.setViewportSize({ width: 360, height: 780 });
		await ar.goto('/');
		await visible(ar.getByRole('region', { name: 'غرف سابقة' }));
		expect(await ar.evaluate(() => document.documentElement.dir)).toBe('rtl');
		await visible(card(ar, done.room).getByRole('link', { name: 'إعادة الاستماع (0:04)' }));
		expect(await runAxe(ar)).toEqual([]);
		expect(await overflowingMain(ar)).toEqual([]);
		expect(stack.pageErrors).toEqual([]);
	}, 120_000);
});
