import {
	type ReceivedWebhook,
	startWebhookReceiver,
	type WebhookReceiver,
	webhookSigned,
} from '@majlis/server-kit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { runAxe } from './axe';
import { hasChromium } from './browser';
import { type Product, startProduct, uniqueHandle } from './product';
import { visible } from './room';
import { BrowserStack } from './stack';

const dictionaries = { en, ar } as const;

/** Elements sticking out of the viewport sideways (a page laid out for its width has none). */
async function overflowing(page: Page): Promise<string[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll('body *')]
			.filter((el) => {
				const r = el.getBoundingClientRect();

				return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
			})
			.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
	);
}

describe.skipIf(!hasChromium())('account settings: API tokens and webhooks', () => {
	let product: Product;
	let browser: Browser;
	const stack = new BrowserStack();
	let receiver: WebhookReceiver;
	let receiverUrl: string;
	let received: ReceivedWebhook[];

	beforeAll(async () => {
		receiver = await startWebhookReceiver();
		({ url: receiverUrl, received } = receiver);
		// The receiver runs on loopback: allowed by the documented dev/test switch only.
		product = await startProduct({ env: { WEBHOOKS_ALLOW_PRIVATE: '1' } });
		browser = await stack.browser();
	});

	afterAll(() => stack.close(product, receiver));

	for (const lang of ['en', 'ar'] as const) {
		const t = dictionaries[lang];

		test(`create, use and revoke an API token; add and test a webhook (${lang}, 360 px and desktop)`, async () => {
			const me = await product.signUp(uniqueHandle(`set_${lang}`), `Settings ${lang}`);
			const page = await stack.pageAs(browser, product.url, me, lang, `settings ${lang}`);
			await page.setViewportSize({ width: 360, height: 780 });
			await page.goto('/');
			await page
				.getByRole('navigation', { name: t['nav.main'] })
				.getByRole('link', { name: t['nav.settings'] })
				.click();
			await visible(page.getByRole('heading', { level: 1, name: t['settings.title'] }));
			const tokens = page.getByRole('region', { name: t['tokens.title'] });
			await visible(tokens.getByText(t['tokens.none']));
			expect(await runAxe(page)).toEqual([]);
			expect(await overflowing(page)).toEqual([]);

			// Create: a name and two scopes, by keyboard where a person would use it.
			await tokens.getByLabel(t['tokens.name']).fill('Agenda script');
			await tokens.getByRole('checkbox', { name: t['tokens.scope.schedule'] }).check();
			await tokens.getByRole('button', { name: t['tokens.create'] }).click();
			const secretBox = tokens.getByLabel(t['tokens.newToken']);
			await visible(secretBox);
			await expect.poll(() => secretBox.evaluate((el) => el === document.activeElement)).toBe(true);
			const secret = await secretBox.inputValue();
			expect(secret).toMatch(/^mj_/);
			expect(await runAxe(page)).toEqual([]);
			expect(await overflowing(page)).toEqual([]);

			// The token works against the API as this person, within its scopes.
			const asToken = (method: string, path: string, body?: unknown) =>
				fetch(`${product.url}${path}`, {
					method,
					headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
			expect(((await (await asToken('GET', '/api/me')).json()) as { id: string }).id).toBe(me.user.id);
			expect(
				(await asToken('POST', '/api/rooms', { title: 'Scheduled by a script', visibility: 'public' })).status
			).toBe(201);
			expect((await asToken('POST', '/api/me/tokens', { name: 'x', scopes: ['read'] })).status).toBe(403);

			// Done hides the secret; the list shows the token with its last use, and revoking asks first.
			await tokens.getByRole('button', { name: t['integrations.done'] }).click();
			await expect.poll(() => secretBox.count()).toBe(0);
			await page.reload();
			const item = tokens.getByRole('listitem').filter({ hasText: 'Agenda script' });
			await visible(item);
			await expect.poll(() => item.textContent()).not.toContain(t['tokens.neverUsed']);
			await item
				.getByRole('button', { name: t['tokens.revokeNamed'].replace('{name}', 'Agenda script') })
				.click();
			const dialog = page.getByRole('dialog');
			await visible(dialog);
			expect(await runAxe(page)).toEqual([]);
			await dialog.getByRole('button', { name: t['tokens.revoke'] }).click();
			await visible(tokens.getByText(t['tokens.none']));
			expect((await asToken('GET', '/api/me')).status).toBe(401);

			// Webhooks: add one for room.started, keep its secret, send a test event, read the log.
			await page.setViewportSize({ width: 1280, height: 860 });
			const hooks = page.getByRole('region', { name: t['webhooks.title'] });
			// A bad address is refused by the server, and the reason is shown in the page's language.
			await hooks.getByLabel(t['webhooks.url']).fill('not a url');
			await hooks.getByRole('button', { name: t['webhooks.add'] }).click();
			await visible(hooks.getByText(t['webhooks.error.url']));
			expect(await runAxe(page)).toEqual([]);
			await hooks.getByLabel(t['webhooks.url']).fill(receiverUrl);
			await hooks.getByRole('button', { name: t['webhooks.add'] }).click();
			const hookSecretBox = hooks.getByLabel(t['webhooks.secret']);
			await visible(hookSecretBox);
			const hookSecret = await hookSecretBox.inputValue();
			expect(hookSecret).toMatch(/^whsec_/);
			const before = received.length;
			await hooks.getByRole('button', { name: t['webhooks.test'] }).click();
			await expect.poll(() => received.length, { timeout: 15_000 }).toBe(before + 1);
			const ping = received.at(-1)!;
			expect(webhookSigned(hookSecret, ping)).toBe(true);
			expect(JSON.parse(ping.body).type).toBe('ping');
			await hooks.getByRole('button', { name: t['webhooks.showLog'] }).click();
			const log = hooks.getByRole('table', { name: t['webhooks.logFor'].replace('{url}', receiverUrl) });
			await visible(log);
			await visible(log.getByRole('cell', { name: 'ping' }));
			await visible(log.getByText(t['webhooks.state.delivered']));
			expect(await runAxe(page)).toEqual([]);

			// A room going live reaches the receiver, signed with the same secret.
			const room = await product.startRoom(me, { title: `Webhook room ${lang}` });
			await expect.poll(() => received.length, { timeout: 15_000 }).toBe(before + 2);
			const started = received.at(-1)!;
			expect(JSON.parse(started.body)).toMatchObject({
				type: 'room.started',
				data: { room: { id: room.id } },
			});

			await page.setViewportSize({ width: 360, height: 780 });
			expect(await overflowing(page)).toEqual([]);
			expect(stack.pageErrors).toEqual([]);
			await page.context().close();
		});
	}
});
