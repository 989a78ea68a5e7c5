import {
	compileAll,
	ErrorCode,
	type NodeEnvelope,
	type NodeMessageType,
	type NodeMessages,
	type NodeRequestType,
	NodeRequests,
	nodeEnvelopeCheckers,
	parseEnvelope,
	sfuNodeChannel,
} from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import type { Static } from 'typebox';
import { SfuError, toWireError, UnavailableError } from '../errors.js';

/** Data of a node request. */
export type NodeRequestData<T extends NodeRequestType> = Static<(typeof NodeRequests)[T]['request']>;
/** Reply data of a node request. */
export type NodeReplyData<T extends NodeRequestType> = Static<(typeof NodeRequests)[T]['reply']>;
/** Data of a one-way node message. */
export type NodeMessageData<T extends NodeMessageType> = Static<(typeof NodeMessages)[T]>;

/** Answers requests from other nodes; a thrown wire error goes back as the reply's error. */
export type NodeRequestHandler = <T extends NodeRequestType>(
	op: T,
	from: string,
	data: NodeRequestData<T>
) => Promise<NodeReplyData<T>>;
/** Receives one-way messages from other nodes, in the order each sender sent them. */
export type NodeMessageHandler = <T extends NodeMessageType>(
	op: T,
	from: string,
	data: NodeMessageData<T>
) => void;

/** Dependencies of {@link NodeBus.create}. */
export interface NodeBusOptions {
	/** The shared bus (Redis across processes; the MemoryBus within one). */
	bus: Bus;
	/** This node's id (its channel is `sfuNodeChannel(nodeId)`). */
	nodeId: string;
	/** Answers requests. */
	onRequest: NodeRequestHandler;
	/** Receives messages. */
	onMessage: NodeMessageHandler;
	/** Logger. */
	log: Logger;
	/** How long a request waits for its reply; default 5 s. */
	timeoutMs?: number;
}

/** A wire error as another node replied it. */
export class RemoteError extends SfuError {
	/** Wraps the remote node's wire error. */
	constructor(code: ErrorCode, message: string) {
		super(code, message);
		this.name = 'RemoteError';
	}
}

// Requests and messages are checked on receipt (nodeEnvelopeCheckers); a reply only here, against the
// request it answers.
const replyCheckers = compileAll(NodeRequests, (s) => s.reply);
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

type ReplyBody = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

interface Pending {
	op: string;
	resolve: (data: unknown) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

/**
 * Request/reply and one-way messages between SFU nodes over the bus: each node subscribes to its own
 * channel; every message is validated on receipt (another process wrote it). Messages from one node
 * to another arrive in the order they were published (one Redis connection, or the MemoryBus's queue).
 */
export class NodeBus {
	readonly #options: NodeBusOptions;
	readonly #pending = new Map<number, Pending>();
	#nextId = 1;
	#unsubscribe: (() => Promise<void>) | undefined;
	#closed = false;

	private constructor(options: NodeBusOptions) {
		this.#options = options;
	}

	/** Subscribes to this node's channel. */
	static async create(options: NodeBusOptions): Promise<NodeBus> {
		const nodeBus = new NodeBus(options);
		nodeBus.#unsubscribe = await options.bus.subscribe(sfuNodeChannel(options.nodeId), (message) =>
			nodeBus.#onMessage(message)
		);

		return nodeBus;
	}

	/** Sends a request to `nodeId`; rejects with its wire error, or `unavailable` when it does not answer. */
	request<T extends NodeRequestType>(
		nodeId: string,
		op: T,
		data: NodeRequestData<T>
	): Promise<NodeReplyData<T>> {
		if (this.#closed) {
			return Promise.reject(new UnavailableError('this node is shutting down'));
		}
		const id = this.#nextId++;

		return new Promise<NodeReplyData<T>>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#pending.delete(id);
				reject(new UnavailableError(`node ${nodeId} did not answer ${op}`));
			}, this.#options.timeoutMs ?? 5000);
			this.#pending.set(id, { op, resolve: resolve as (data: unknown) => void, reject, timer });
			this.#publish(nodeId, { kind: 'req', id, from: this.#options.nodeId, op, data }).catch(
				(error: unknown) => {
					clearTimeout(timer);
					this.#pending.delete(id);
					reject(new UnavailableError(`bus publish failed: ${String(error)}`));
				}
			);
		});
	}

	/** Sends a one-way message to `nodeId` (fire and forget; publish failures are logged). */
	send<T extends NodeMessageType>(nodeId: string, op: T, data: NodeMessageData<T>): void {
		if (this.#closed) {
			return;
		}
		this.#publish(nodeId, { kind: 'msg', from: this.#options.nodeId, op, data }).catch((error: unknown) =>
			this.#options.log.warn({ err: error, op, to: nodeId }, 'send() | bus publish failed')
		);
	}

	/** Unsubscribes; pending requests fail with `unavailable`. Idempotent. */
	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		for (const [id, pending] of this.#pending) {
			clearTimeout(pending.timer);
			pending.reject(new UnavailableError('this node is shutting down'));
			this.#pending.delete(id);
		}
		await this.#unsubscribe?.().catch(() => undefined);
	}

	#publish(nodeId: string, envelope: NodeEnvelope): Promise<void> {
		return this.#options.bus.publish(sfuNodeChannel(nodeId), JSON.stringify(envelope));
	}

	#onMessage(message: string): void {
		const parsed = parseEnvelope(nodeEnvelopeCheckers, message);
		if (!parsed.ok) {
			if ((parsed.reason === 'type' || parsed.reason === 'data') && parsed.envelope.kind === 'req') {
				// The sender waits for an answer: tell it what is wrong.
				void this.#reply(parsed.envelope, {
					ok: false,
					error: { code: ErrorCode.BadRequest, message: parsed.problem },
				});

				return;
			}
			this.#options.log.warn({ problem: parsed.problem }, 'onMessage() | ignoring an invalid node message');

			return;
		}
		const value = parsed.envelope;
		switch (value.kind) {
			case 'req': {
				void this.#answer(value);
				break;
			}
			case 'res': {
				this.#settle(value);
				break;
			}
			case 'msg': {
				try {
					this.#options.onMessage(value.op as NodeMessageType, value.from, value.data as never);
				} catch (error) {
					this.#options.log.error({ err: error, op: value.op }, 'onMessage() | handler failed');
				}
				break;
			}
			default: {
				value satisfies never;
			}
		}
	}

	#reply(request: Extract<NodeEnvelope, { kind: 'req' }>, body: ReplyBody): Promise<void> {
		return this.#publish(request.from, { kind: 'res', id: request.id, ...body }).catch((error: unknown) =>
			this.#options.log.warn({ err: error, op: request.op }, 'answer() | bus publish failed')
		);
	}

	async #answer(request: Extract<NodeEnvelope, { kind: 'req' }>): Promise<void> {
		try {
			const data = await this.#options.onRequest(
				request.op as NodeRequestType,
				request.from,
				request.data as never
			);
			await this.#reply(request, { ok: true, data });
		} catch (error) {
			const wire = toWireError(error);
			if (wire.code === ErrorCode.Internal) {
				this.#options.log.error({ err: error, op: request.op }, 'answer() | request failed');
			}
			await this.#reply(request, { ok: false, error: wire });
		}
	}

	#settle(response: Extract<NodeEnvelope, { kind: 'res' }>): void {
		const pending = this.#pending.get(response.id);
		if (!pending) {
			return;
		}
		this.#pending.delete(response.id);
		clearTimeout(pending.timer);
		if (!response.ok) {
			const code =
				response.error && ERROR_CODES.has(response.error.code) ? response.error.code : ErrorCode.Internal;
			pending.reject(new RemoteError(code as ErrorCode, response.error?.message ?? 'request failed'));

			return;
		}
		const problem = replyCheckers.get(pending.op)?.explain(response.data);
		if (problem) {
			pending.reject(new RemoteError(ErrorCode.Internal, `invalid ${pending.op} reply${problem}`));

			return;
		}
		pending.resolve(response.data);
	}
}
