import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { overflow } from './phone';
import { type Product, startProduct, uniqueHandle } from './product';
import { visible } from './room';
import { BrowserStack } from './stack';

const dictionaries = { en, ar } as const;
/** The deployment's public URL: fediverse addresses carry its host. */
const PUBLIC_URL = 'https://majlis.example';
/** How long a saved setting may take to show (ms). */
const WAIT_SAVE = 10_000;

describe.skipIf(!hasChromium())('account settings: the fediverse', () => {
	let product: Product;
	let browser: Browser;
	const stack = new BrowserStack();

	beforeAll(async () => {
		// Following looks accounts up on loopback here (the documented dev/test switch).
		product = await startProduct({
			env: { FEDERATION: 'on', PUBLIC_URL, FEDERATION_ALLOW_PRIVATE: '1' },
		});
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product));

	async function checkLayout(page: Page, width: number) {
		expect(await runAxe(page)).toEqual([]);
		expect(await overflow(page, width)).toEqual([]);
	}

	for (const lang of ['en', 'ar'] as const) {
		const t = dictionaries[lang];

		test(`share my rooms, see my address, follow an account (${lang}, 360 px and desktop)`, async () => {
			const handle = uniqueHandle(`fed_${lang}`);
			const me = await product.signUp(handle, `Fediverse ${lang}`);
			const page = await stack.pageAs(browser, product.url, me, lang, `federation ${lang}`);
			await page.setViewportSize({ width: 360, height: 780 });
			await page.goto('/settings');
			const section = page.getByRole('region', { name: t['federation.title'] });
			const share = section.getByRole('checkbox', { name: t['federation.share'] });
			await visible(share);
			expect(await share.isChecked()).toBe(false);
			// The address is shown before opting in, so people know what they would share as.
			await visible(section.getByText(`@${handle}@majlis.example`));
			expect(await section.getByLabel(t['federation.follow.label']).count()).toBe(0);
			await checkLayout(page, 360);

			// Opt in by keyboard.
			await share.focus();
			await page.keyboard.press('Space');
			// Turning it on the first time makes the account's key pairs (RSA-2048 among them): allow for a busy machine.
			await expect.poll(() => share.isChecked(), { timeout: WAIT_SAVE }).toBe(true);
			const address = section.getByLabel(t['federation.follow.label']);
			await visible(address);
			await visible(section.getByText(t['federation.feedEmpty']));
			const saved = await product.api<{ enabled: boolean }>('GET', '/api/me/federation', me.token);
			expect(saved.enabled).toBe(true);
			// The single-process server answers WebFinger and the actor itself (not the web client's fallback).
			const finger = await fetch(
				`${product.url}/.well-known/webfinger?resource=acct:${handle}@majlis.example`
			);
			expect(finger.status).toBe(200);
			const actor = await fetch(`${product.url}/ap/users/${me.user.id}`, {
				headers: { accept: 'application/activity+json' },
			});
			expect(await actor.json()).toMatchObject({ type: 'Person', preferredUsername: handle });

			// An empty address, then one nobody answers for: each says what is wrong, on the field.
			const follow = section.getByRole('button', { name: t['federation.follow.submit'] });
			await follow.click();
			await visible(section.getByText(t['federation.follow.required']));
			expect(await address.getAttribute('aria-invalid')).toBe('true');
			await address.fill('@nobody@127.0.0.1:1');
			await address.press('Enter');
			await visible(section.getByText(t['federation.follow.notFound']));
			await checkLayout(page, 360);

			await page.setViewportSize({ width: 1280, height: 900 });
			expect(await overflow(page, 1280)).toEqual([]);

			// Opt out again.
			// A click, not uncheck(): the box follows the saved setting, once the server answers.
			await share.click();
			await expect.poll(() => share.isChecked(), { timeout: WAIT_SAVE }).toBe(false);
			await expect
				.poll(
					async () =>
						(await product.api<{ enabled: boolean }>('GET', '/api/me/federation', me.token)).enabled,
					{ timeout: WAIT_SAVE }
				)
				.toBe(false);
			await page.context().close();
		});
	}
});
