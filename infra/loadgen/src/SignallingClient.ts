import {
	PROTOCOL_VERSION,
	ProtocolChannel,
	type ReplyData,
	type RequestData,
	type RequestType,
	type ServerNotification,
} from '@majlis/protocol';
import WebSocket from 'ws';
import type { SignallingChannel } from './WebRtcTransports.js';

/** A refused request: the protocol channel's error, carrying the wire error's `code`. */
export { ServerRequestError as SignallingError } from '@majlis/protocol';

/**
 * A lean Majlis signalling client for load-generator bots: one WebSocket, requests through the
 * protocol's {@link ProtocolChannel} (numbered, replies matched by id and checked), and one callback
 * for every notification (`type`, `data`). It keeps no history, so a thousand of them cost little.
 */
export class SignallingClient implements SignallingChannel {
	readonly #ws: WebSocket;
	readonly #channel: ProtocolChannel;
	readonly #subscribers = new Set<(type: string, data: Record<string, unknown>) => void>();
	/** Called for every notification; replace it to react (e.g. resume consumers, time moderation). */
	onNotification: (type: string, data: Record<string, unknown>) => void = () => {};
	/** Resolves when the socket closes. */
	readonly closed: Promise<{ code: number; reason: string }>;

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		// Bots wait as long as the server takes (a slow reply is what a load test measures); invalid
		// frames and seq gaps are dropped without a word, as a bot has no one to tell.
		this.#channel = new ProtocolChannel({
			send: (text) => ws.send(text),
			onNotification: (n) => this.#deliver(n),
			timeoutMs: Number.POSITIVE_INFINITY,
		});
		this.closed = new Promise((resolve) => {
			ws.on('close', (code, reason) => {
				this.#channel.close(`socket closed (${code})`);
				resolve({ code, reason: reason.toString() });
			});
		});
		ws.on('error', () => {});
		ws.on('message', (raw) => this.#channel.receive(raw.toString()));
	}

	#deliver({ type, data }: ServerNotification): void {
		const fields = data as Record<string, unknown>;
		this.onNotification(type, fields);
		for (const subscriber of this.#subscribers) {
			subscriber(type, fields);
		}
	}

	/** Opens a socket to a signalling URL. */
	static async connect(url: string): Promise<SignallingClient> {
		const ws = new WebSocket(url, { perMessageDeflate: false });
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});

		return new SignallingClient(ws);
	}

	/** Sends a request and resolves with its reply data (rejects with {@link SignallingError}). */
	request<T extends RequestType>(type: T, data: RequestData<T>): Promise<ReplyData<T>> {
		return this.#channel.request(type, data);
	}

	/**
	 * Calls `listener` with every notification from now on, besides `onNotification` (for helpers such as
	 * the WebRTC receive transport); returns a function that stops it.
	 */
	subscribe(listener: (type: string, data: Record<string, unknown>) => void): () => void {
		this.#subscribers.add(listener);
		return () => this.#subscribers.delete(listener);
	}

	/** `session:join` with a ticket. */
	join(ticket: string): Promise<ReplyData<'session:join'>> {
		return this.request('session:join', { ticket, protocolVersion: PROTOCOL_VERSION });
	}

	/** Closes the socket and waits for it. */
	async close(): Promise<void> {
		if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
			this.#ws.close(1000, 'bye');
		}
		await this.closed;
	}
}
