import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, type NewContextOptions, newContext } from './browser';
import type { TestUser } from './product';
import { createTone, type Tone } from './tone';

/** Browsers (one per fake microphone) and their tones, closed together at the end of a file. */
export class BrowserStack {
	readonly #browsers: Browser[] = [];
	readonly #tones: Tone[] = [];
	readonly #errors: string[] = [];

	/**
	 * A new Chromium whose fake microphone plays a speech-like `frequency` Hz tone (Chromium's beep without
	 * one). The audio file is a browser-wide switch: every speaker with a tone of their own needs a browser.
	 */
	async browser(frequency?: number): Promise<Browser> {
		let audioFile: string | undefined;
		if (frequency !== undefined) {
			const tone = await createTone({ frequency, speechLike: true });
			this.#tones.push(tone);
			audioFile = tone.path;
		}

		return this.adopt(await launchChromium({ audioFile }));
	}

	/** A page in a fresh profile of a new browser with its own tone (see {@link BrowserStack.browser}). */
	async page(options: NewContextOptions & { frequency: number }): Promise<Page> {
		const label = options.token ? `signed-in page (${options.frequency} Hz)` : 'page';

		return this.pageIn(await this.browser(options.frequency), options, label);
	}

	/**
	 * A page in a context of its own in `browser` (one of this stack's), watched for errors as `label`;
	 * `prepare` sets the context up first (init scripts, see `recordPeerConnections`).
	 */
	async pageIn(
		browser: Browser,
		options: NewContextOptions,
		label: string,
		prepare?: (context: BrowserContext) => Promise<void>
	): Promise<Page> {
		const context = await newContext(browser, options);
		await prepare?.(context);
		const page = await context.newPage();
		this.watch(page, label);

		return page;
	}

	/** `user`'s page (a visitor's when null) in `lang`, in a context of its own in `browser`, watched as `label`. */
	pageAs(
		browser: Browser,
		baseURL: string,
		user: TestUser | null,
		lang: 'en' | 'ar' = 'en',
		label = `${user?.user.displayName ?? 'visitor'} (${lang})`
	): Promise<Page> {
		return this.pageIn(browser, { baseURL, lang, token: user?.token }, label);
	}

	/** A signed-in user's page in English, in the browser whose microphone plays a `frequency` Hz tone. */
	signedIn(baseURL: string, user: { token: string }, frequency: number): Promise<Page> {
		return this.page({ baseURL, lang: 'en', token: user.token, frequency });
	}

	/** Keeps uncaught page errors, so a test can check there were none. */
	watch(page: Page, label: string): void {
		page.on('pageerror', (error) => this.#errors.push(`${label}: ${error.message}`));
	}

	/** Uncaught errors of watched pages so far. */
	get pageErrors(): readonly string[] {
		return this.#errors;
	}

	/** Adds a browser launched elsewhere, to be closed with the rest. */
	adopt(browser: Browser): Browser {
		this.#browsers.push(browser);

		return browser;
	}

	/**
	 * Closes every browser and deletes the tones, then closes `after` in order (the product and the servers
	 * the pages talked to; undefined when a `beforeAll` failed before starting one).
	 */
	async close(...after: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
		await Promise.allSettled(this.#browsers.splice(0).map((b) => b.close()));
		await Promise.allSettled(this.#tones.splice(0).map((t) => t.cleanup()));
		for (const server of after) {
			await server?.close();
		}
	}
}
