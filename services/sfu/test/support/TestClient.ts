import {
	type Checker,
	compile,
	explainServerFrame,
	type NotificationData,
	type NotificationType,
	PROTOCOL_VERSION,
	type ReplyData,
	type RequestData,
	type RequestType,
	Requests,
	type ServerNotification,
	type WireError,
} from '@majlis/protocol';
import WebSocket from 'ws';

/** A refused request, carrying the wire error. */
export class RequestError extends Error {
	/** The wire error code. */
	readonly code: string;

	constructor(error: WireError) {
		super(`${error.code}: ${error.message}`);
		this.code = error.code;
	}
}

const replyCheckers = new Map<string, Checker<unknown>>(
	Object.entries(Requests).map(([type, s]) => [type, compile(s.reply)])
);

type Pending = { type: string; resolve: (v: unknown) => void; reject: (e: Error) => void };
type Waiter = { match: (n: ServerNotification) => boolean; resolve: (n: ServerNotification) => void };

/**
 * A signalling client over a real `ws` socket, as a browser would be: numbered requests, replies matched
 * by id, notifications kept in order. Every server frame is checked against the protocol (replies
 * against their type's reply schema) and `seq` must grow by one from the snapshot's; any violation is
 * recorded in {@link problems} so tests can assert there were none.
 */
export class TestClient {
	readonly #ws: WebSocket;
	readonly #pending = new Map<number, Pending>();
	readonly #waiters = new Set<Waiter>();
	readonly #listeners = new Set<(n: ServerNotification) => void>();
	#nextId = 1;
	#lastSeq: number | undefined;
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
		this.closed = new Promise((resolve) => {
			ws.on('close', (code, reason) => {
				for (const pending of this.#pending.values()) {
					pending.reject(new Error(`${name}: socket closed (${code}) before the reply to ${pending.type}`));
				}
				this.#pending.clear();
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
		let frame: unknown;
		try {
			frame = JSON.parse(text);
		} catch {
			this.problems.push(`not JSON: ${text.slice(0, 80)}`);

			return;
		}
		const problem = explainServerFrame(frame);
		if (problem) {
			this.problems.push(problem);

			return;
		}
		const f = frame as { id?: number; ok?: boolean; data?: unknown; error?: WireError };
		if (typeof f.id === 'number') {
			const pending = this.#pending.get(f.id);
			if (!pending) {
				this.problems.push(`reply to unknown id ${f.id}`);

				return;
			}
			this.#pending.delete(f.id);
			if (f.ok) {
				const bad = replyCheckers.get(pending.type)?.explain(f.data);
				if (bad) {
					this.problems.push(`${pending.type} reply ${bad}`);
				}
				if (pending.type === 'session:join') {
					this.#lastSeq = (f.data as ReplyData<'session:join'>).snapshot.seq;
				}
				pending.resolve(f.data);
			} else {
				pending.reject(new RequestError(f.error!));
			}

			return;
		}
		const n = frame as ServerNotification;
		if (this.#lastSeq === undefined) {
			this.problems.push(`${n.type} before the join reply`);
		} else if (n.seq !== this.#lastSeq + 1) {
			this.problems.push(`${n.type} seq ${n.seq} after ${this.#lastSeq}`);
		}
		this.#lastSeq = n.seq;
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
		const id = this.#nextId++;
		const promise = new Promise<ReplyData<T>>((resolve, reject) => {
			this.#pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject });
		});
		this.#ws.send(JSON.stringify({ id, type, data: data[0] ?? {} }));

		return promise;
	}

	/** The error code a request is refused with (fails the test if it succeeds). */
	async refusal<T extends RequestType>(
		type: T,
		...data: Record<string, never> extends RequestData<T> ? [RequestData<T>?] : [RequestData<T>]
	): Promise<string> {
		try {
			await this.request(type, ...data);
		} catch (error) {
			if (error instanceof RequestError) {
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
			promise = new Promise((resolve, reject) => this.#pending.set(id, { type, resolve, reject }));
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
