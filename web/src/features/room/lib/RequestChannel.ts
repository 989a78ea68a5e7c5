import type { ErrorCode, ReplyData, RequestData, RequestType, ServerReply } from '@majlis/protocol';

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
	/** The request that failed. */
	readonly request: RequestType;

	constructor(request: RequestType, code: ErrorCode, message: string) {
		super(message);
		this.name = 'ServerRequestError';
		this.code = code;
		this.request = request;
	}
}

/** Largest request id; ids wrap back to 1 after it (the envelope allows 0…2³²−1). */
export const MAX_REQUEST_ID = 0xffffffff;

/** Options of {@link RequestChannel}. */
export interface RequestChannelOptions {
	/** Writes one frame to the socket; throwing rejects the request. */
	send(frame: string): void;
	/** Default per-request timeout in ms. */
	timeoutMs?: number;
	/** @internal Id to count from (tests start near {@link MAX_REQUEST_ID} to see the wrap). */
	lastId?: number;
}

interface Sent {
	type: RequestType;
	resolve(data: unknown): void;
	reject(error: Error): void;
	timer: ReturnType<typeof setTimeout>;
}

/**
 * Request/response over one socket, like mediasoup's `Channel`: a pending map by id, ids that wrap at
 * 2³²−1, a timeout per request, and every pending request rejected when the channel closes.
 */
export class RequestChannel {
	readonly #send: (frame: string) => void;
	readonly #timeoutMs: number;
	readonly #sent = new Map<number, Sent>();
	#lastId: number;
	#closed = false;

	constructor(options: RequestChannelOptions) {
		this.#send = options.send;
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
			const timer = setTimeout(() => {
				if (this.#sent.delete(id)) {
					reject(new RequestTimeoutError(`request timeout [type:${type}, id:${id}]`));
				}
			}, timeoutMs);
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

	/** Settles the request a reply answers; returns false when no request waits for its id (late or unknown). */
	receive(reply: ServerReply): boolean {
		const sent = this.#sent.get(reply.id);
		if (!sent) {
			return false;
		}
		this.#sent.delete(reply.id);
		clearTimeout(sent.timer);
		if (reply.ok) {
			sent.resolve(reply.data ?? {});
		} else {
			sent.reject(new ServerRequestError(sent.type, reply.error.code, reply.error.message));
		}

		return true;
	}

	/** Closes the channel (idempotent): every pending request is rejected with {@link InvalidStateError}. */
	close(reason = 'channel closed'): void {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		for (const [id, sent] of this.#sent) {
			clearTimeout(sent.timer);
			sent.reject(new InvalidStateError(`${reason}, pending request aborted [type:${sent.type}, id:${id}]`));
		}
		this.#sent.clear();
	}
}
