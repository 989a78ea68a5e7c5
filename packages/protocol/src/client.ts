import type { ErrorCode } from './errors.js';
import type { ReplyData, RequestData, RequestType, ServerNotification, ServerReply } from './messages.js';
import { parseServerFrame } from './serverFrame.js';

// The parser the channel uses, exported with it so the package index needs one line for both.
export { type ParsedServerFrame, parseServerFrame } from './serverFrame.js';

/** The channel is closed (or closed while the request was pending). */
export class InvalidStateError extends Error {
	/** Error code used for messages, like the server's codes. */
	readonly code = 'invalid_state';

	constructor(message: string) {
		super(message);
		this.name = 'InvalidStateError';
	}
}

/** The server did not answer a request in time. */
export class RequestTimeoutError extends Error {
	/** Error code used for messages. */
	readonly code = 'timeout';

	constructor(message: string) {
		super(message);
		this.name = 'RequestTimeoutError';
	}
}

/** The server answered a request with `{ ok: false, error }`. */
export class ServerRequestError extends Error {
	/** The server's error code. */
	readonly code: ErrorCode;
	/** The request that failed (undefined for a frame sent with `sendRaw`). */
	readonly request: RequestType | undefined;

	constructor(request: RequestType | undefined, code: ErrorCode, message: string) {
		super(message);
		this.name = 'ServerRequestError';
		this.code = code;
		this.request = request;
	}
}

/** The server answered a request with a frame that breaks the protocol (its data is not trusted). */
export class InvalidReplyError extends Error {
	/** Error code used for messages. */
	readonly code = 'invalid_reply';
	/** The request the bad reply answered (undefined for a frame sent with `sendRaw`). */
	readonly request: RequestType | undefined;

	constructor(request: RequestType | undefined, message: string) {
		super(message);
		this.name = 'InvalidReplyError';
		this.request = request;
	}
}

/** Largest request id; ids wrap back to 1 after it (the envelope allows 0…2³²−1). */
export const MAX_REQUEST_ID = 0xffffffff;

/**
 * Something wrong with what the server sent. `frame`: an invalid frame, dropped (a reply among them also
 * fails its request with {@link InvalidReplyError}). `reply`: a reply to no pending request (late after a
 * timeout, or unknown), dropped. `early`: a notification before the `session:join` reply; `gap`: a
 * notification whose `seq` is not the one after the last; both are still delivered, the caller decides.
 */
export type ChannelProblem =
	| { kind: 'frame'; message: string }
	| { kind: 'reply'; message: string; id: number }
	| { kind: 'early'; message: string; seq: number }
	| { kind: 'gap'; message: string; seq: number; expected: number };

/** Options of {@link ProtocolChannel}. */
export interface ProtocolChannelOptions {
	/** Writes one frame to the transport; throwing rejects the request. */
	send(text: string): void;
	/** Every valid notification, in the order it arrived. */
	onNotification?(notification: ServerNotification): void;
	/** Every problem with what the server sent (see {@link ChannelProblem}). */
	onProblem?(problem: ChannelProblem): void;
	/** Default per-request timeout in ms; `Infinity` for none. */
	timeoutMs?: number;
	/** @internal Id to count from (tests start near {@link MAX_REQUEST_ID} to see the wrap). */
	lastId?: number;
}

interface Sent {
	// Undefined for a raw frame: the reply is matched by id, but its data has no schema to check.
	type: RequestType | undefined;
	resolve(data: unknown): void;
	reject(error: Error): void;
	timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The client end of the signalling protocol over any transport, like mediasoup's `Channel`: requests
 * numbered with ids that wrap at 2³²−1, a pending map with a timeout per request, and every pending
 * request rejected when the channel closes. Incoming frames go through {@link parseServerFrame}; a bad
 * one is reported and dropped. Notifications are checked against `seq`: the `session:join` reply's
 * snapshot gives the starting point, and each notification after it must carry the next number.
 */
export class ProtocolChannel {
	readonly #send: (text: string) => void;
	readonly #onNotification: (notification: ServerNotification) => void;
	readonly #onProblem: (problem: ChannelProblem) => void;
	readonly #timeoutMs: number;
	readonly #sent = new Map<number, Sent>();
	#lastId: number;
	#closed = false;
	// Last seq accounted for: the snapshot's, or a later one received before the join reply.
	#lastSeq: number | undefined;
	#earlySeq: number | undefined;

	constructor(options: ProtocolChannelOptions) {
		this.#send = options.send;
		this.#onNotification = options.onNotification ?? (() => undefined);
		this.#onProblem = options.onProblem ?? (() => undefined);
		this.#timeoutMs = options.timeoutMs ?? 10_000;
		this.#lastId = options.lastId ?? 0;
	}

	/** Whether {@link close} was called. */
	get closed(): boolean {
		return this.#closed;
	}

	/** Number of requests waiting for a reply. */
	get pending(): number {
		return this.#sent.size;
	}

	/** `seq` of the last notification checked (the snapshot's right after joining); undefined before. */
	get lastSeq(): number | undefined {
		return this.#lastSeq;
	}

	#nextId(): number {
		do {
			this.#lastId = this.#lastId < MAX_REQUEST_ID ? this.#lastId + 1 : 1;
		} while (this.#sent.has(this.#lastId));

		return this.#lastId;
	}

	/** Sends request `type` and resolves with the reply's data (typed by the protocol's `Requests`). */
	request<T extends RequestType>(
		type: T,
		data: RequestData<T>,
		timeoutMs = this.#timeoutMs
	): Promise<ReplyData<T>> {
		if (this.#closed) {
			return Promise.reject(new InvalidStateError(`channel closed, cannot send request [type:${type}]`));
		}
		const id = this.#nextId();

		return new Promise<ReplyData<T>>((resolve, reject) => {
			const timer = Number.isFinite(timeoutMs)
				? setTimeout(() => {
						if (this.#sent.delete(id)) {
							reject(new RequestTimeoutError(`request timeout [type:${type}, id:${id}]`));
						}
					}, timeoutMs)
				: undefined;
			this.#sent.set(id, { type, resolve: resolve as (data: unknown) => void, reject, timer });
			try {
				this.#send(JSON.stringify({ id, type, data }));
			} catch (error) {
				clearTimeout(timer);
				this.#sent.delete(id);
				reject(new InvalidStateError(`could not send request [type:${type}]: ${(error as Error).message}`));
			}
		});
	}

	/**
	 * Writes `text` as it is (tests of malformed frames); with `id`, resolves with the data of the reply
	 * to that id or rejects like {@link request}. No timeout: the caller's test has one.
	 */
	sendRaw(text: string, id?: number): Promise<unknown> | undefined {
		if (this.#closed) {
			throw new InvalidStateError('channel closed, cannot send a raw frame');
		}
		let reply: Promise<unknown> | undefined;
		if (id !== undefined) {
			reply = new Promise((resolve, reject) => {
				this.#sent.set(id, { type: undefined, resolve, reject, timer: undefined });
			});
		}
		this.#send(text);

		return reply;
	}

	/** Takes one frame off the transport: text as received, or a value already parsed from JSON. */
	receive(raw: unknown): void {
		if (this.#closed) {
			return;
		}
		const parsed = parseServerFrame(raw, (id) => this.#sent.get(id)?.type);
		if (!parsed.ok) {
			const sent = parsed.id === null ? undefined : this.#take(parsed.id);
			sent?.reject(
				new InvalidReplyError(sent.type, `invalid reply to ${sent.type ?? 'a raw frame'}: ${parsed.problem}`)
			);
			this.#onProblem({ kind: 'frame', message: parsed.problem });
		} else if (parsed.kind === 'reply') {
			this.#settle(parsed.reply);
		} else {
			this.#check(parsed.notification);
			this.#onNotification(parsed.notification);
		}
	}

	#take(id: number): Sent | undefined {
		const sent = this.#sent.get(id);
		if (sent) {
			this.#sent.delete(id);
			clearTimeout(sent.timer);
		}

		return sent;
	}

	#settle(reply: ServerReply): void {
		const sent = this.#take(reply.id);
		if (!sent) {
			this.#onProblem({
				kind: 'reply',
				message: `reply to no pending request [id:${reply.id}]`,
				id: reply.id,
			});

			return;
		}
		if (!reply.ok) {
			sent.reject(new ServerRequestError(sent.type, reply.error.code, reply.error.message));

			return;
		}
		if (sent.type === 'session:join') {
			const { seq } = (reply.data as ReplyData<'session:join'>).snapshot;
			this.#lastSeq = Math.max(seq, this.#earlySeq ?? seq);
		}
		sent.resolve(reply.data);
	}

	#check(n: ServerNotification): void {
		if (this.#lastSeq === undefined) {
			this.#earlySeq = Math.max(n.seq, this.#earlySeq ?? n.seq);
			this.#onProblem({
				kind: 'early',
				message: `${n.type} [seq:${n.seq}] before the join reply`,
				seq: n.seq,
			});

			return;
		}
		const expected = this.#lastSeq + 1;
		this.#lastSeq = n.seq;
		if (n.seq !== expected) {
			this.#onProblem({
				kind: 'gap',
				message: `${n.type} [seq:${n.seq}] where seq ${expected} was due`,
				seq: n.seq,
				expected,
			});
		}
	}

	/** Closes the channel (idempotent): every pending request is rejected with {@link InvalidStateError}. */
	close(reason = 'channel closed'): void {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		for (const [id, sent] of this.#sent) {
			clearTimeout(sent.timer);
			sent.reject(
				new InvalidStateError(`${reason}, pending request aborted [type:${sent.type ?? 'raw'}, id:${id}]`)
			);
		}
		this.#sent.clear();
	}
}
