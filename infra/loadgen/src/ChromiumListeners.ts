// Listeners whose WebRTC is real Chromium's: the bench's measure of join → first audio as a browser
// lives it (native ICE and DTLS), next to the werift bots, whose ICE and DTLS run in JavaScript. The
// signalling runs in the Node process that drives the browser (the bench gives it a process of its own,
// bench/chromiumDevice.ts); the page holds only the RTCPeerConnections.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { nowUs } from './clock.js';
import { SignallingClient } from './SignallingClient.js';
import { consumerMedia, parseLocalSdp, remoteSdp } from './sdp.js';
import { WEBRTC_LISTENER_RTP_CAPABILITIES } from './WebRtcListener.js';

/** Debian's Chromium (playwright-core brings no browser); override with CHROMIUM_PATH. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** One Chromium listener's join, in wall-clock µs: start, the stretches' ends, and the first packet. */
export type ChromiumJoin = {
	startUs: number;
	joinedUs: number;
	stageOfferedUs: number;
	answeredUs: number;
	connectedUs: number;
	firstPacketUs: number;
};

/**
 * A headless Chromium that times listeners' joins, each on an RTCPeerConnection of its own joined like the
 * web client. A listener leaves once its first packet is in: dozens of connections decoding the stage in one
 * browser would slow the joins being timed, where each real listener decodes on a phone of its own.
 */
export class ChromiumListeners {
	readonly #browser: Browser;
	readonly #page: Page;
	readonly #events = new Map<string, number>();
	#next = 0;

	private constructor(browser: Browser, page: Page) {
		this.#browser = browser;
		this.#page = page;
	}

	/** Whether the browser is installed (the bench skips these listeners without it). */
	static available(): boolean {
		return existsSync(CHROMIUM_PATH);
	}

	/** Launches the browser and its page. */
	static async launch(): Promise<ChromiumListeners> {
		const { chromium } = await import('playwright-core');
		const browser = await chromium.launch({
			headless: true,
			executablePath: CHROMIUM_PATH,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--autoplay-policy=no-user-gesture-required',
			],
		});
		const page = await browser.newPage();
		const listeners = new ChromiumListeners(browser, page);
		// Timed in Node when the page reports it: the same clock as the join's start.
		await page.exposeFunction('majlisMark', (key: string) => {
			// The first report counts: every track of the stage reports its own first packet.
			if (!listeners.#events.has(key)) {
				listeners.#events.set(key, nowUs());
			}
		});
		return listeners;
	}

	/** Joins one listener with `ticket`, waits for its first packet (`timeoutMs` at most), then leaves. */
	async join(url: string, ticket: string, timeoutMs = 10_000): Promise<ChromiumJoin> {
		const id = this.#next++;
		const startUs = nowUs();
		const client = await SignallingClient.connect(url);
		try {
			await client.join(ticket);
			const joinedUs = nowUs();
			const info = await client.request('transport:create', { direction: 'recv' });
			const { consumers = [] } = await client.request('consume:start', {
				rtpCapabilities: WEBRTC_LISTENER_RTP_CAPABILITIES,
				batch: true,
			});
			const stageOfferedUs = nowUs();
			if (consumers.length === 0) {
				throw new Error('Chromium listener: no audio to wait for (nobody is talking on the stage)');
			}
			const media = consumers.map((c, i) => consumerMedia(c, String(i)));
			const answer = await this.#page.evaluate(answerInPage, {
				id,
				offer: remoteSdp(info, media, 'actpass', 'udp'),
			});
			const local = parseLocalSdp(answer);
			await client.request('transport:connect', {
				transportId: info.id,
				dtlsParameters: {
					role: local.setup === 'passive' ? 'server' : 'client',
					fingerprints: [local.fingerprint],
				},
			});
			const answeredUs = nowUs();
			// As the web client: the stage is acknowledged while ICE and DTLS run.
			await client.request('consumers:resume', { consumerIds: consumers.map((c) => c.consumerId) });
			const join: ChromiumJoin = {
				startUs,
				joinedUs,
				stageOfferedUs,
				answeredUs,
				connectedUs: Number.NaN,
				firstPacketUs: Number.NaN,
			};
			// Both marks: the page may report the first packet before the state change that preceded it.
			await this.#until(
				() => this.#events.has(`first:${id}`) && this.#events.has(`connected:${id}`),
				timeoutMs
			);
			join.connectedUs = this.#events.get(`connected:${id}`) ?? Number.NaN;
			join.firstPacketUs = this.#events.get(`first:${id}`) ?? Number.NaN;
			return join;
		} finally {
			await this.#page.evaluate(closeInPage, id).catch(() => undefined);
			await client.close();
		}
	}

	/** Closes the browser. */
	async close(): Promise<void> {
		await this.#browser.close().catch(() => undefined);
	}

	async #until(done: () => boolean, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!done()) {
			if (Date.now() > deadline) {
				throw new Error(`Chromium listener: no audio within ${timeoutMs} ms`);
			}
			await new Promise((resolve) => setTimeout(resolve, 1));
		}
	}
}

// The page's WebRTC, typed as far as it is used here (the load generator compiles without the DOM library).
interface PagePeerConnection {
	readonly connectionState: string;
	readonly localDescription: { sdp: string } | null;
	onconnectionstatechange: (() => void) | null;
	ontrack: ((event: { track: { onunmute: (() => void) | null } }) => void) | null;
	setRemoteDescription(description: { type: 'offer'; sdp: string }): Promise<void>;
	createAnswer(): Promise<{ type: 'answer'; sdp?: string }>;
	setLocalDescription(description: { type: 'answer'; sdp?: string }): Promise<void>;
	close(): void;
}

type PageWindow = typeof globalThis & {
	RTCPeerConnection: new () => PagePeerConnection;
	majlisMark: (key: string) => Promise<void>;
	majlisPcs?: Map<number, PagePeerConnection>;
};

// Runs in the page: answers the SFU's offer and reports DTLS up and the first inbound packet.
async function answerInPage({ id, offer }: { id: number; offer: string }): Promise<string> {
	const w = globalThis as PageWindow;
	const pc = new w.RTCPeerConnection();
	w.majlisPcs ??= new Map();
	w.majlisPcs.set(id, pc);
	pc.onconnectionstatechange = () => {
		if (pc.connectionState === 'connected') {
			void w.majlisMark(`connected:${id}`);
		}
	};
	// A remote track starts muted and unmutes when its first packet arrives: an event, so nothing polls
	// the connection (getStats every few ms would itself slow the page's WebRTC thread).
	pc.ontrack = ({ track }) => {
		track.onunmute = () => {
			void w.majlisMark(`first:${id}`);
		};
	};
	await pc.setRemoteDescription({ type: 'offer', sdp: offer });
	const answer = await pc.createAnswer();
	await pc.setLocalDescription(answer);
	return pc.localDescription?.sdp ?? '';
}

// Runs in the page: the listener leaves.
function closeInPage(id: number): void {
	const w = globalThis as PageWindow;
	w.majlisPcs?.get(id)?.close();
	w.majlisPcs?.delete(id);
}
