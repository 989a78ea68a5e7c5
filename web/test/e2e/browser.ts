import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type LaunchOptions } from 'playwright-core';

/** The system's Chromium (Debian's package: playwright-core brings no browser); override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser is installed (suites skip with a clear reason when it is not). */
export function hasChromium(): boolean {
	return existsSync(CHROMIUM_PATH);
}

/** Options of {@link launchChromium}. */
export interface LaunchChromiumOptions {
	/** WAV file the fake microphone plays (see `createTone`); Chromium's beep when omitted. */
	audioFile?: string;
	/** More command-line switches. */
	args?: string[];
	/**
	 * Accept permission prompts automatically (default true). With false, a prompt for a permission the
	 * context was not granted is dismissed, as when someone blocks the microphone.
	 */
	acceptPrompts?: boolean;
	/** Passed to Playwright's `launch`. */
	launch?: Omit<LaunchOptions, 'executablePath' | 'args'>;
}

/**
 * Launches real Chromium with a fake microphone: permission prompts are auto-accepted and getUserMedia
 * returns the WAV file's audio; autoplay needs no gesture, so listeners hear the stage at once.
 */
export function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
	const args = [
		...(options.acceptPrompts === false ? [] : ['--use-fake-ui-for-media-stream']),
		'--use-fake-device-for-media-stream',
		...(options.audioFile ? [`--use-file-for-fake-audio-capture=${options.audioFile}`] : []),
		'--autoplay-policy=no-user-gesture-required',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-dev-shm-usage',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		...(options.args ?? []),
	];

	return chromium.launch({ headless: true, ...options.launch, executablePath: CHROMIUM_PATH, args });
}

/** Options of {@link newContext}. */
export interface NewContextOptions {
	/** App base URL (http://127.0.0.1:port). */
	baseURL: string;
	/** UI language stored before any page loads (the app remembers it in localStorage). */
	lang?: 'en' | 'ar';
	/** Bearer token stored before any page loads, to skip the login form. */
	token?: string;
	/** Emulate `prefers-reduced-motion: reduce`. */
	reducedMotion?: boolean;
	/** Grant the microphone permission up front (default true). */
	microphone?: boolean;
	/** Emulate a phone of this CSS size: touch, `isMobile`, a mobile user agent (default: a 1280×860 desktop). */
	phone?: { width: number; height: number };
}

/** An Android Chrome user agent, for phone emulation. */
export const MOBILE_USER_AGENT =
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

/** A fresh browser profile for one user, optionally signed in and in a given language. */
export async function newContext(browser: Browser, options: NewContextOptions): Promise<BrowserContext> {
	const context = await browser.newContext({
		baseURL: options.baseURL,
		viewport: options.phone ?? { width: 1280, height: 860 },
		...(options.phone
			? { isMobile: true, hasTouch: true, deviceScaleFactor: 2, userAgent: MOBILE_USER_AGENT }
			: {}),
		locale: options.lang === 'ar' ? 'ar' : 'en-US',
		reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference',
		permissions: options.microphone === false ? [] : ['microphone'],
	});
	const init: Record<string, string> = {};
	if (options.lang) {
		init['majlis.lang'] = options.lang;
	}
	if (options.token) {
		init['majlis.token'] = options.token;
	}
	if (Object.keys(init).length > 0) {
		await context.addInitScript((entries: Record<string, string>) => {
			for (const [key, value] of Object.entries(entries)) {
				if (window.localStorage.getItem(key) === null) {
					window.localStorage.setItem(key, value);
				}
			}
		}, init);
	}

	return context;
}

/** One RTCPeerConnection a page made, with the configuration it was made with (see {@link recordPeerConnections}). */
export interface RecordedPeerConnection {
	pc: RTCPeerConnection;
	config: RTCConfiguration | undefined;
}

/**
 * Keeps every RTCPeerConnection the pages of `context` make (and its configuration) in `window.__pcs`, so
 * a test can read WebRTC stats where the page shows none (the docked player, the ICE route taken).
 */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		const Native = window.RTCPeerConnection;
		const all: { pc: RTCPeerConnection; config: RTCConfiguration | undefined }[] = [];
		(window as unknown as { __pcs: typeof all }).__pcs = all;
		window.RTCPeerConnection = class extends Native {
			constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
				super(...args);
				all.push({ pc: this, config: args[0] });
			}
		} as typeof RTCPeerConnection;
	});
}
