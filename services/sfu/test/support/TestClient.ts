import {
	type NotificationData,
	type NotificationType,
	PROTOCOL_VERSION,
	ProtocolChannel,
	parseServerFrame,
	type ReplyData,
	type RequestData,
	type RequestType,
	type ServerNotification,
	ServerRequestError,
} from '@majlis/protocol';
import WebSocket from 'ws';

/** A refused request: the protocol channel's error, carrying the wire error's `code`. */
export { ServerRequestError as RequestError } from '@majlis/protocol';

type RawPending = { type: string; resolve: (v: unknown) => void; reject: (e: Error) => void };
type Waiter = { match: (n: ServerNotification) => boolean; resolve: (n: ServerNotification) => void };

/**
 * A signalling client over a real `ws` socket, as a browser would be: the protocol's
 * {@link ProtocolChannel} numbers requests, matches replies by id, checks every server frame against
 * the protocol (replies against their request's reply schema) and that `seq` grows by one from the
 * snapshot's; any violation is recorded in {@link problems} so tests can assert there were none.
 */
export class TestClient {
	readonly #ws: WebSocket;
	readonly #channel: ProtocolChannel;
	// Replies to frames sent with sendRaw(), which the channel did not number.
	readonly #raw = new Map<number, RawPending>();
	readonly #waiters = new Set<Waiter>();
	readonly #listeners = new Set<(n: ServerNotification) => void>();
	/** Every notification received, in order. */
	readonly notifications: ServerNotification[] = [];
	/** Protocol violations seen (invalid frames, seq gaps). */
	readonly problems: string[] = [];
	/** Resolves with the close code and reason when the socket closes. */
	readonly closed: Promise<{ code: number; reason: string }>;
	/** A name for messages. */
	readonly name: string;
	/** The signalling URL it connected to (which node). */
	readonly url: string;

	private constructor(ws: WebSocket, name: string, url: string) {
		this.#ws = ws;
		this.name = name;
		this.url = url;
		this.#channel = new ProtocolChannel({
			send: (text) => ws.send(text),
			onNotification: (n) => this.#onNotification(n),
			onProblem: (problem) => this.problems.push(problem.message),
			// Tests bound their own waits; a request pends until its reply or the socket's close.
			timeoutMs: Number.POSITIVE_INFINITY,
		});
		this.closed = new Promise((resolve) => {
			ws.on('close', (code, reason) => {
				const why = `${name}: socket closed (${code}) before the reply`;
				this.#channel.close(why);
				for (const pending of this.#raw.values()) {
					pending.reject(new Error(`${why} to ${pending.type}`));
				}
				this.#raw.clear();
				resolve({ code, reason: reason.toString() });
			});
		});
		ws.on('message', (data) => this.#onMessage(data.toString()));
		ws.on('error', () => {});
	}

	/** Opens a socket to `url`. */
	static async connect(url: string, name = 'client'): Promise<TestClient> {
		const ws = new WebSocket(url);
		const client = new TestClient(ws, name, url);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});

		return client;
	}

	/** Whether the socket is open. */
	get open(): boolean {
		return this.#ws.readyState === WebSocket.OPEN;
	}

	#onMessage(text: string): void {
		// A reply to a raw frame is read apart: its request may be anything, so only its envelope is checked.
		const parsed = this.#raw.size > 0 ? parseServerFrame(text) : undefined;
		const reply = parsed?.ok && parsed.kind === 'reply' ? parsed.reply : undefined;
		const raw = reply ? this.#raw.get(reply.id) : undefined;
		if (!reply || !raw) {
			this.#channel.receive(text);

			return;
		}
		this.#raw.delete(reply.id);
		if (reply.ok) {
			raw.resolve(reply.data);
		} else {
			raw.reject(new ServerRequestError(raw.type as RequestType, reply.error.code, reply.error.message));
		}
	}

	#onNotification(n: ServerNotification): void {
		this.notifications.push(n);
		for (const listener of this.#listeners) {
			listener(n);
		}
		for (const waiter of this.#waiters) {
			if (waiter.match(n)) {
				this.#waiters.delete(waiter);
				waiter.resolve(n);
			}
		}
	}

	/** Sends a request and resolves with the reply data; rejects with {@link RequestError} when refused. */
	request<T extends RequestType>(
		type: T,
		...data: Record<string, never> extends RequestData<T> ? [RequestData<T>?] : [RequestData<T>]
	): Promise<ReplyData<T>> {
		return this.#channel.request(type, (data[0] ?? {}) as RequestData<T>);
	}

	/** The error code a request is refused with (fails the test if it succeeds). */
	async refusal<T extends RequestType>(
		type: T,
		...data: Record<string, never> extends RequestData<T> ? [RequestData<T>?] : [RequestData<T>]
	): Promise<string> {
		try {
			await this.request(type, ...data);
		} catch (error) {
			if (error instanceof ServerRequestError) {
				return error.code;
			}
			throw error;
		}
		throw new Error(`${this.name}: ${type} was expected to be refused`);
	}

	/** Sends a raw frame and resolves with the next reply to `id` (for malformed-frame tests). */
	sendRaw(text: string, id?: number, type = 'raw'): Promise<unknown> | undefined {
		let promise: Promise<unknown> | undefined;
		if (id !== undefined) {
			promise = new Promise((resolve, reject) => this.#raw.set(id, { type, resolve, reject }));
		}
		this.#ws.send(text);

		return promise;
	}

	/** Joins with a ticket (the current protocol version unless told otherwise). */
	join(
		ticket: string,
		extra: { roomId?: string; protocolVersion?: number } = {}
	): Promise<ReplyData<'session:join'>> {
		return this.request('session:join', {
			ticket,
			protocolVersion: extra.protocolVersion ?? PROTOCOL_VERSION,
			...(extra.roomId ? { roomId: extra.roomId } : {}),
		});
	}

	/**
	 * Resolves with the first notification of `type` matching `where`, looking at those already received
	 * from index `from` on (default: all), then at new ones; rejects after `timeoutMs`.
	 */
	waitFor<T extends NotificationType>(
		type: T,
		where: (data: NotificationData<T>) => boolean = () => true,
		{ from = 0, timeoutMs = 5000 }: { from?: number; timeoutMs?: number } = {}
	): Promise<NotificationData<T>> {
		const match = (n: ServerNotification) => n.type === type && where(n.data as NotificationData<T>);
		const seen = this.notifications.slice(from).find(match);
		if (seen) {
			return Promise.resolve(seen.data as NotificationData<T>);
		}

		return new Promise((resolve, reject) => {
			const waiter: Waiter = { match, resolve: (n) => resolve(n.data as NotificationData<T>) };
			this.#waiters.add(waiter);
			setTimeout(() => {
				if (this.#waiters.delete(waiter)) {
					reject(new Error(`${this.name}: no ${type} within ${timeoutMs} ms`));
				}
			}, timeoutMs).unref();
		});
	}

	/** Calls `listener` with every notification from now on; returns a function that stops it. */
	onNotification(listener: (n: ServerNotification) => void): () => void {
		this.#listeners.add(listener);

		return () => this.#listeners.delete(listener);
	}

	/** Notifications of `type` received so far (from index `from`). */
	all<T extends NotificationType>(type: T, from = 0): NotificationData<T>[] {
		return this.notifications
			.slice(from)
			.filter((n) => n.type === type)
			.map((n) => n.data as NotificationData<T>);
	}

	/** Index to pass as `from` to only look at what comes next. */
	get mark(): number {
		return this.notifications.length;
	}

	/** Closes the socket and waits for it. */
	async close(): Promise<void> {
		if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
			this.#ws.close(1000);
		}
		await this.closed;
	}

	/** Drops the connection without a close handshake (a network failure). */
	terminate(): void {
		this.#ws.terminate();
	}
}
