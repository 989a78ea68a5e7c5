// Listeners whose WebRTC is real Chromium's: the bench's measure of join → first audio as a browser
// lives it (native ICE and DTLS, Chromium's own jitter buffer), next to the werift bots, whose ICE and
// DTLS run in JavaScript in the generator. Signalling stays in Node, as the web client's would on its
// own thread: the page holds only the RTCPeerConnections.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { nowUs } from './clock.js';
import { SignallingClient } from './SignallingClient.js';
import { consumerMedia, parseLocalSdp, remoteSdp } from './sdp.js';
import { WEBRTC_LISTENER_RTP_CAPABILITIES } from './WebRtcListener.js';

/** Debian's Chromium (playwright-core brings no browser); override with CHROMIUM_PATH. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How often the page asks a connection for its inbound packets while waiting for the first one. */
const POLL_MS = 2;

/** One Chromium listener's join, in wall-clock µs: start, the stretches' ends, and the first packet. */
export type ChromiumJoin = {
	startUs: number;
	joinedUs: number;
	stageOfferedUs: number;
	answeredUs: number;
	connectedUs: number;
	firstPacketUs: number;
};

/** One listener: its socket (left open so it stays in the room) and its join's milestones. */
type Joined = { client: SignallingClient; id: number; join: ChromiumJoin };

/** A headless Chromium holding one RTCPeerConnection per listener, each joined like the web client. */
export class ChromiumListeners {
	readonly #browser: Browser;
	readonly #page: Page;
	readonly #joined: Joined[] = [];
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
			// The first report counts: a poll already in flight may report again.
			if (!listeners.#events.has(key)) {
				listeners.#events.set(key, nowUs());
			}
		});
		return listeners;
	}

	/** Joins one listener with `ticket` and resolves when its first packet arrived (10 s at most). */
	async join(url: string, ticket: string): Promise<ChromiumJoin> {
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
				pollMs: POLL_MS,
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
			await this.#until(() => this.#events.has(`first:${id}`), 10_000);
			join.connectedUs = this.#events.get(`connected:${id}`) ?? Number.NaN;
			join.firstPacketUs = this.#events.get(`first:${id}`) ?? Number.NaN;
			this.#joined.push({ client, id, join });
			return join;
		} catch (error) {
			await client.close();
			throw error;
		}
	}

	/** Closes every connection, socket and the browser. */
	async close(): Promise<void> {
		await Promise.all(this.#joined.map(({ client }) => client.close().catch(() => undefined)));
		await this.#browser.close().catch(() => undefined);
	}

	async #until(done: () => boolean, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!done()) {
			if (Date.now() > deadline) {
				throw new Error('Chromium listener: no audio within 10 s');
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
	getStats(): Promise<Map<string, { type: string; packetsReceived?: number }>>;
	setRemoteDescription(description: { type: 'offer'; sdp: string }): Promise<void>;
	createAnswer(): Promise<{ type: 'answer'; sdp?: string }>;
	setLocalDescription(description: { type: 'answer'; sdp?: string }): Promise<void>;
}

type PageWindow = typeof globalThis & {
	RTCPeerConnection: new () => PagePeerConnection;
	majlisMark: (key: string) => Promise<void>;
	majlisPcs?: PagePeerConnection[];
};

// Runs in the page: answers the SFU's offer and reports DTLS up and the first inbound packet.
async function answerInPage({
	id,
	offer,
	pollMs,
}: {
	id: number;
	offer: string;
	pollMs: number;
}): Promise<string> {
	const w = globalThis as PageWindow;
	const pc = new w.RTCPeerConnection();
	w.majlisPcs ??= [];
	w.majlisPcs.push(pc);
	pc.onconnectionstatechange = () => {
		if (pc.connectionState === 'connected') {
			void w.majlisMark(`connected:${id}`);
		}
	};
	const poll = setInterval(async () => {
		const stats = await pc.getStats();
		for (const s of stats.values()) {
			if (s.type === 'inbound-rtp' && (s.packetsReceived ?? 0) > 0) {
				clearInterval(poll);
				void w.majlisMark(`first:${id}`);
				return;
			}
		}
	}, pollMs);
	await pc.setRemoteDescription({ type: 'offer', sdp: offer });
	const answer = await pc.createAnswer();
	await pc.setLocalDescription(answer);
	return pc.localDescription?.sdp ?? '';
}
