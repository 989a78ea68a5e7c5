// Writes the README's screenshots: `npx tsx web/test/e2e/screenshots.ts` (needs a built web/dist).
// Starts the product, seeds people and rooms, brings real browsers into a live room (a speaking host,
// a co-host and a speaker on stage, a raised hand, listeners), and captures the main pages in English
// and Arabic at 1280×800 into docs/screenshots/, then the host's room and the home page on a 390×844
// phone (touch, mobile user agent) as phone-*.png, and the embeddable player at 480×240 as embed-*.png.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { newContext } from './browser';
import { type Product, startProduct, type TestUser } from './product';
import { BrowserStack } from './stack';

const OUT = resolve(import.meta.dirname, '../../../docs/screenshots');
const VIEWPORT = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WAIT_MS = 45_000;
const dictionaries = { en, ar } as const;
type Lang = keyof typeof dictionaries;

function at(daysFromNow: number, hourUtc: number): string {
	const d = new Date();
	d.setUTCDate(d.getUTCDate() + daysFromNow);
	d.setUTCHours(hourUtc, 0, 0, 0);

	return d.toISOString();
}

async function seed(product: Product) {
	const people = {
		layla: await product.signUp('layla_nasser', 'Layla Nasser'),
		yusuf: await product.signUp('yusuf_haddad', 'يوسف حداد'),
		maya: await product.signUp('maya_collins', 'Maya Collins'),
		sara: await product.signUp('sara_ahmed', 'سارة أحمد'),
		omar: await product.signUp('omar_farouk', 'Omar Farouk'),
		daniel: await product.signUp('daniel_reyes', 'Daniel Reyes'),
		nour: await product.signUp('nour_alhuda', 'نور الهدى'),
		reem: await product.signUp('reem_khoury', 'ريم خوري'),
	};
	const { layla, yusuf, maya, sara } = people;
	const cohost = async (room: { id: string }, host: TestUser, user: TestUser) =>
		product.api('PUT', `/api/rooms/${room.id}/cohosts/${user.user.id}`, host.token);

	const main = await product.createRoom(layla, {
		title: 'Evening majlis: stories from Beirut',
		description: 'Memories, music and the city at night. Raise your hand to share yours.',
		topics: ['culture', 'stories', 'music'],
	});
	await cohost(main, layla, yusuf);
	await product.api('POST', `/api/rooms/${main.id}/start`, layla.token);

	const poetry = await product.createRoom(yusuf, {
		title: 'أمسية شعر: المتنبي اليوم',
		description: 'نقرأ ونناقش قصائد المتنبي وما تبقى منها في لغتنا اليومية.',
		topics: ['شعر', 'أدب'],
	});
	await product.api('POST', `/api/rooms/${poetry.id}/start`, yusuf.token);

	await product.createRoom(maya, {
		title: 'Product design office hours',
		description: 'Bring a screen you are stuck on; we will critique it together.',
		topics: ['design', 'ux'],
		scheduledFor: at(1, 16),
	});
	const books = await product.createRoom(sara, {
		title: 'نادي الكتاب: مدن الملح',
		description: 'الجزء الأول من خماسية عبد الرحمن منيف.',
		topics: ['كتب', 'رواية'],
		scheduledFor: at(3, 18),
	});
	await cohost(books, sara, people.nour);
	await product.createRoom(layla, {
		title: 'Freelancing across borders: contracts and taxes',
		topics: ['work', 'law'],
		scheduledFor: at(6, 15),
	});

	return { people, main, poetry };
}

async function waitForText(page: Page, selector: string, text: string): Promise<void> {
	await page.locator(selector, { hasText: text }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
}

async function switchTo(page: Page, lang: Lang): Promise<void> {
	if ((await page.evaluate(() => document.documentElement.lang)) === lang) {
		return;
	}
	// The header button names the other language; pressing it switches without a reload (rooms stay joined).
	const other = lang === 'ar' ? en : ar;
	await page.getByRole('button', { name: other['lang.switch'], exact: true }).click();
	await page.locator(`html[lang="${lang}"]`).waitFor({ timeout: WAIT_MS });
}

async function shoot(page: Page, name: string): Promise<void> {
	// Nothing mid-focus or hovered in the pictures.
	await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await page.mouse.move(0, 0);
	const path = join(OUT, `${name}.png`);
	await page.screenshot({ path, animations: 'disabled' });
	console.log(`wrote ${path}`);
}

async function joinRoom(
	browser: Browser,
	product: Product,
	user: TestUser,
	roomId: string,
	phone?: typeof PHONE
): Promise<Page> {
	const context = await newContext(browser, { baseURL: product.url, lang: 'en', token: user.token, phone });
	const page = await context.newPage();
	if (!phone) {
		await page.setViewportSize(VIEWPORT);
	}
	await page.goto(`/rooms/${roomId}`);
	await page.getByRole('button', { name: en['roompage.join'], exact: true }).click();
	await page.getByRole('region', { name: en['room.controls'] }).waitFor({ timeout: WAIT_MS });

	return page;
}

async function main(): Promise<void> {
	await mkdir(OUT, { recursive: true });
	const product = await startProduct({ redisDatabase: 12 });
	const stack = new BrowserStack();
	try {
		const { people, main: room, poetry } = await seed(product);
		const speakingHost = await stack.browser(220);
		const crowd = await stack.browser();

		// The live room: Layla hosts and talks (her tone draws the speaking ring), Yusuf co-hosts muted,
		// Maya is invited up, Sara raises her hand, the rest listen.
		const host = await joinRoom(speakingHost, product, people.layla, room.id);
		const hostControls = host.getByRole('region', { name: en['room.controls'] });
		await hostControls.getByRole('button', { name: en['room.unmute'] }).click();
		const cohost = await joinRoom(crowd, product, people.yusuf, room.id);
		const maya = await joinRoom(crowd, product, people.maya, room.id);
		await maya.getByRole('button', { name: en['room.requestToSpeak'] }).click();
		await host
			.getByRole('region', { name: en['room.hands'] })
			.getByRole('listitem', { name: people.maya.user.displayName })
			.getByRole('button', { name: en['room.inviteToSpeak'] })
			.click();
		await maya.getByRole('button', { name: en['room.accept'] }).click();
		await waitForText(host, '.tile', people.maya.user.displayName);
		const sara = await joinRoom(crowd, product, people.sara, room.id);
		await sara.getByRole('button', { name: en['room.requestToSpeak'] }).click();
		const listener = await joinRoom(crowd, product, people.omar, room.id);
		await joinRoom(crowd, product, people.daniel, room.id);
		await joinRoom(crowd, product, people.nour, room.id);
		// Someone in the poetry room too, so both live rooms show who is listening.
		await joinRoom(crowd, product, people.reem, poetry.id);
		await cohost.bringToFront();

		// Home and schedule pages, signed in as Layla in a profile of their own.
		const visitor = await (
			await newContext(crowd, { baseURL: product.url, lang: 'en', token: people.layla.token })
		).newPage();
		await visitor.setViewportSize(VIEWPORT);
		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			await visitor.goto('/');
			await switchTo(visitor, lang);
			await visitor.getByRole('article', { name: room.title }).waitFor({ timeout: WAIT_MS });
			await visitor
				.getByRole('article', { name: 'Product design office hours' })
				.waitFor({ timeout: WAIT_MS });
			await shoot(visitor, `home-${lang}`);

			await visitor
				.getByRole('navigation', { name: t['nav.main'] })
				.getByRole('link', { name: t['nav.newRoom'] })
				.click();
			await visitor.getByRole('heading', { level: 1, name: t['schedule.createHeading'] }).waitFor();
			await visitor
				.getByLabel(t['schedule.title'], { exact: true })
				.fill(lang === 'ar' ? 'حديث الأحد: مدن وذكريات' : 'Sunday talk: cities and memory');
			await visitor
				.getByLabel(t['schedule.description'], { exact: true })
				.fill(
					lang === 'ar'
						? 'نتحدث عن المدن التي سكنتنا.'
						: 'The cities that shaped us, and what we carry from them.'
				);
			await visitor
				.getByLabel(t['schedule.topics'], { exact: true })
				.fill(lang === 'ar' ? 'مدن، ذكريات' : 'cities, memory');
			await shoot(visitor, `schedule-${lang}`);
		}

		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			for (const page of [host, listener]) {
				await switchTo(page, lang);
				await page
					.getByRole('region', { name: t['room.listeners'] })
					.getByRole('listitem', { name: people.nour.user.displayName })
					.waitFor({ timeout: WAIT_MS });
			}
			await host
				.getByRole('region', { name: t['room.hands'] })
				.getByRole('listitem', { name: people.sara.user.displayName })
				.waitFor({ timeout: WAIT_MS });
			// The ring follows the audio level; wait until each view shows Layla speaking.
			for (const [page, name] of [
				[host, `room-host-${lang}`],
				[listener, `room-listener-${lang}`],
			] as const) {
				await page.bringToFront();
				await page
					.locator('.tile-speaking', { hasText: people.layla.user.displayName })
					.waitFor({ timeout: WAIT_MS });
				await shoot(page, name);
			}
		}

		// Phones: the host's room (this connection replaces the desktop one) and the home page.
		const phoneHost = await joinRoom(speakingHost, product, people.layla, room.id, PHONE);
		// By class, not name: the region's name changes with the language.
		const phoneControls = phoneHost.locator('section.controls');
		if (await phoneControls.getByRole('button', { name: en['room.unmute'] }).isVisible()) {
			await phoneControls.getByRole('button', { name: en['room.unmute'] }).click();
		}
		const phoneVisitor = await (
			await newContext(crowd, { baseURL: product.url, lang: 'en', token: people.omar.token, phone: PHONE })
		).newPage();
		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			await switchTo(phoneHost, lang);
			await phoneControls
				.getByRole('button', { name: new RegExp(`^${t['phone.hands']}`) })
				.filter({ hasText: '1' })
				.waitFor({ timeout: WAIT_MS });
			await phoneHost
				.locator('.tile-speaking', { hasText: people.layla.user.displayName })
				.waitFor({ timeout: WAIT_MS });
			await shoot(phoneHost, `phone-room-host-${lang}`);

			await phoneVisitor.goto('/');
			await switchTo(phoneVisitor, lang);
			await phoneVisitor.getByRole('article', { name: room.title }).waitFor({ timeout: WAIT_MS });
			await shoot(phoneVisitor, `phone-home-${lang}`);
		}

		// The embeddable player as another site frames it (480×240), playing, with no account.
		const embed = await (await newContext(crowd, { baseURL: product.url, lang: 'en' })).newPage();
		await embed.setViewportSize({ width: 480, height: 240 });
		for (const lang of ['en', 'ar'] as const) {
			const t = dictionaries[lang];
			await embed.goto(`/embed/rooms/${room.id}?lang=${lang}`);
			await embed.getByRole('button', { name: t['embed.play'] }).click();
			await embed.getByRole('button', { name: t['embed.stop'] }).waitFor({ timeout: WAIT_MS });
			await embed.locator('.embed-speaker .avatar-speaking').first().waitFor({ timeout: WAIT_MS });
			await shoot(embed, `embed-${lang}`);
			await embed.getByRole('button', { name: t['embed.stop'] }).click();
		}
	} finally {
		await stack.close();
		await product.close();
	}
}

await main();
