import { PROTOCOL_VERSION, type ReplyData, type RequestData, type RequestType } from '@majlis/protocol';
import WebSocket from 'ws';
import type { SignallingChannel } from './WebRtcTransports.js';

type Pending = { resolve: (data: unknown) => void; reject: (error: Error) => void };

/** A refused request (the wire error's code and message). */
export class SignallingError extends Error {
	/** The wire error code. */
	readonly code: string;

	constructor(code: string, message: string) {
		super(`${code}: ${message}`);
		this.code = code;
	}
}

/**
 * A lean Majlis signalling client for load-generator bots: one WebSocket, numbered requests with replies
 * matched by id, and one callback for every notification (`type`, `data`, receive time). It keeps no
 * history, so a thousand of them cost little.
 */
export class SignallingClient implements SignallingChannel {
	readonly #ws: WebSocket;
	readonly #pending = new Map<number, Pending>();
	readonly #subscribers = new Set<(type: string, data: Record<string, unknown>) => void>();
	#nextId = 1;
	/** Called for every notification; replace it to react (e.g. resume consumers, time moderation). */
	onNotification: (type: string, data: Record<string, unknown>) => void = () => {};
	/** Resolves when the socket closes. */
	readonly closed: Promise<{ code: number; reason: string }>;

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		this.closed = new Promise((resolve) => {
			ws.on('close', (code, reason) => {
				for (const pending of this.#pending.values()) {
					pending.reject(new Error(`socket closed (${code})`));
				}
				this.#pending.clear();
				resolve({ code, reason: reason.toString() });
			});
		});
		ws.on('error', () => {});
		ws.on('message', (raw) => {
			const frame = JSON.parse(raw.toString()) as {
				id?: number;
				ok?: boolean;
				type?: string;
				data?: Record<string, unknown>;
				error?: { code: string; message: string };
			};
			if (typeof frame.id === 'number') {
				const pending = this.#pending.get(frame.id);
				this.#pending.delete(frame.id);
				if (frame.ok) {
					pending?.resolve(frame.data);
				} else {
					pending?.reject(new SignallingError(frame.error?.code ?? 'unknown', frame.error?.message ?? ''));
				}
			} else if (typeof frame.type === 'string') {
				const data = frame.data ?? {};
				this.onNotification(frame.type, data);
				for (const subscriber of this.#subscribers) {
					subscriber(frame.type, data);
				}
			}
		});
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
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (d: unknown) => void, reject });
			this.#ws.send(JSON.stringify({ id, type, data }));
		});
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
