import {
	type ChannelProblem,
	CloseCode,
	InvalidStateError,
	type JoinResponse,
	PROTOCOL_VERSION,
	ProtocolChannel,
	type ReplyData,
	type RequestData,
	type RequestType,
	type ServerNotification,
} from '@majlis/protocol';
import type { MessageKey } from '../../../i18n';
import type { CloseReason, ConnectionStatus } from '../stores/useRoomStore';
import { reconnectDelay } from './backoff';
import type { ClientSocket, OpenSocket } from './ClientSocket';
import { DeltaOrderer } from './DeltaOrderer';
import { fatalClose, fatalError } from './fatal';
import type { ClosingReason } from './roomState';

/** Close code of a socket closed on purpose, with nothing wrong. */
export const NORMAL_CLOSE = 1000;
/** Our own close code (application range) to force a full rejoin: media failed beyond repair, a seq gap. */
export const CLIENT_RESTART_CODE = 4900;
// How long leave() waits for the server to acknowledge session:leave before closing anyway.
const LEAVE_TIMEOUT_MS = 1500;

/** One signalling session (one socket and its join); work tied to it checks `current` and stops. */
export interface Session {
	/** Increases with every connection attempt. */
	readonly id: number;
	/** Whether this is still the connection's session (not replaced by a reconnect, not closed). */
	readonly current: boolean;
	/** Sends a request on this session's socket; rejects with `InvalidStateError` once it is gone. */
	request<T extends RequestType>(type: T, data: RequestData<T>): Promise<ReplyData<T>>;
	/** Gives this session up and rejoins with a fresh one. */
	restart(): void;
}

/** What a {@link RoomConnection} tells its owner, in the order things happen. */
export interface RoomConnectionEvents {
	/** The signalling status changed (`closed` comes with {@link closed}). */
	status(status: Exclude<ConnectionStatus, 'idle' | 'closed'>): void;
	/** The `session:join` reply: apply its snapshot; deltas held until now follow right after. */
	snapshot(session: Session, reply: ReplyData<'session:join'>): void;
	/** Sets up what the session needs before it counts as connected (media); throwing fails the attempt. */
	setUp(session: Session, reply: ReplyData<'session:join'>): Promise<void>;
	/** A notification, in `seq` order, after the snapshot. */
	notification(session: Session, notification: ServerNotification): void;
	/** The session is set up and the status is `connected`. */
	connected(session: Session): void;
	/** An automatic reconnect succeeded. */
	reconnected(): void;
	/** Everything tied to the session that just ended must go (transports, consumers, microphone). */
	teardown(): void;
	/** Stopped for good: no more reconnects. */
	closed(reason: CloseReason, error: MessageKey | null): void;
	/** Something wrong with what the server sent (a bad frame is already dropped). */
	problem(problem: ChannelProblem): void;
}

/** Options of {@link RoomConnection}. */
export interface RoomConnectionOptions {
	/** The room to join. */
	roomId: string;
	/** Gets a join ticket from the API. */
	join(roomId: string): Promise<JoinResponse>;
	/** Opens the signalling socket. */
	openSocket: OpenSocket;
	/** Timeout of each signalling request in ms. */
	requestTimeoutMs: number;
	/** Jitter source of the reconnect backoff. */
	random?: () => number;
}

/**
 * The signalling side of a live room, on the model of tldraw's `TLSyncClient`: a ticket, a socket, a
 * {@link ProtocolChannel} and a {@link DeltaOrderer} per session, and reconnects with exponential
 * backoff until a close code or a refusal says that rejoining cannot help.
 */
export class RoomConnection {
	readonly #options: RoomConnectionOptions;
	readonly #events: RoomConnectionEvents;
	readonly #orderer: DeltaOrderer;
	#sessionId = 0;
	#session: Session;
	#socket: ClientSocket | null = null;
	#channel: ProtocolChannel | null = null;
	#status: ConnectionStatus = 'idle';
	#attempt = 0;
	#reconnectTimer: ReturnType<typeof setTimeout> | undefined;
	#closed = false;
	#leaving = false;
	#connecting = false;
	// How the socket closed while a connection attempt was still in progress.
	#closeDuringConnect: number | null = null;
	// What the server announced before closing this session (room:ended, session:closing).
	#ended = false;
	#closing: ClosingReason | null = null;

	constructor(options: RoomConnectionOptions, events: RoomConnectionEvents) {
		this.#options = options;
		this.#events = events;
		this.#session = this.#newSession(null);
		this.#orderer = new DeltaOrderer((n) => this.#deliver(n));
	}

	/** Whether the connection stopped for good. */
	get closed(): boolean {
		return this.#closed;
	}

	/** The latest session (a closed one before the first connection). */
	get session(): Session {
		return this.#session;
	}

	/** The signalling status. */
	get status(): ConnectionStatus {
		return this.#status;
	}

	/** Sends a request on the current session. */
	request<T extends RequestType>(type: T, data: RequestData<T>): Promise<ReplyData<T>> {
		return this.#session.request(type, data);
	}

	/** Connects; a first attempt that fails for a transient reason keeps trying, like a dropped connection. */
	async join(): Promise<void> {
		this.#setStatus('connecting');
		try {
			await this.#connect();
		} catch (error) {
			const fatal = fatalError(error);
			if (fatal) {
				this.#finish(fatal.reason, fatal.messageKey);
			} else if (!this.#closed) {
				this.#scheduleReconnect();
			}
		}
	}

	/** Leaves the room (tells the server when connected, then closes); idempotent. */
	async leave(): Promise<void> {
		if (this.#closed || this.#leaving) {
			return;
		}
		this.#leaving = true;
		clearTimeout(this.#reconnectTimer);
		if (this.#channel && this.#status === 'connected') {
			await Promise.race([
				this.#channel.request('session:leave', {}).catch(() => undefined),
				new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS)),
			]);
		}
		this.#finish('left');
	}

	#setStatus(status: Exclude<ConnectionStatus, 'idle' | 'closed'>): void {
		this.#status = status;
		this.#events.status(status);
	}

	#newSession(channel: ProtocolChannel | null): Session {
		const id = this.#sessionId;
		const isCurrent = () => id === this.#sessionId && !this.#closed;

		return {
			id,
			get current() {
				return isCurrent();
			},
			request: (type, data) =>
				channel && isCurrent()
					? channel.request(type, data)
					: Promise.reject(new InvalidStateError(`not connected, cannot send request [type:${type}]`)),
			restart: () => {
				if (isCurrent()) {
					this.#socket?.close(CLIENT_RESTART_CODE);
				}
			},
		};
	}

	async #connect(): Promise<void> {
		this.#connecting = true;
		this.#closeDuringConnect = null;
		try {
			await this.#connectOnce();
		} catch (error) {
			throw fatalClose(this.#closeDuringConnect) ?? error;
		} finally {
			this.#connecting = false;
		}
	}

	async #connectOnce(): Promise<void> {
		const id = ++this.#sessionId;
		this.#orderer.reset();
		const ticket = await this.#options.join(this.#options.roomId);
		const socket = await this.#options.openSocket(ticket.signallingUrl);
		if (id !== this.#sessionId || this.#closed) {
			socket.close(NORMAL_CLOSE);

			return;
		}
		const channel = new ProtocolChannel({
			send: (text) => socket.send(text),
			timeoutMs: this.#options.requestTimeoutMs,
			onNotification: (n) => this.#orderer.push(n),
			onProblem: (problem) => this.#onProblem(session, problem),
		});
		const session = this.#newSession(channel);
		this.#session = session;
		this.#socket = socket;
		this.#channel = channel;
		socket.onmessage = (data) => channel.receive(data);
		socket.onclose = (code) => this.#onSocketClose(session, code);
		try {
			const reply = await channel.request('session:join', {
				ticket: ticket.ticket,
				protocolVersion: PROTOCOL_VERSION,
				roomId: this.#options.roomId,
			});
			this.#ended = false;
			this.#closing = null;
			this.#events.snapshot(session, reply);
			this.#orderer.start(reply.snapshot.seq);
			await this.#events.setUp(session, reply);
			if (!session.current) {
				return;
			}
			this.#attempt = 0;
			this.#setStatus('connected');
			this.#events.connected(session);
		} catch (error) {
			if (session.current) {
				this.#teardown();
				socket.close(NORMAL_CLOSE);
			}
			throw error;
		}
	}

	#deliver(notification: ServerNotification): void {
		if (notification.type === 'room:ended') {
			this.#ended = true;
		} else if (notification.type === 'session:closing') {
			this.#closing = (notification as ServerNotification<'session:closing'>).data.reason;
		}
		this.#events.notification(this.#session, notification);
	}

	#onProblem(session: Session, problem: ChannelProblem): void {
		this.#events.problem(problem);
		// A missed delta leaves the room state wrong with no way to repair it: start over from a snapshot.
		if (problem.kind === 'gap') {
			session.restart();
		}
	}

	#onSocketClose(session: Session, code: number): void {
		if (!session.current) {
			return;
		}
		this.#teardown();
		if (this.#connecting) {
			// The pending session:join (or set-up) now rejects; #connect's caller decides.
			this.#closeDuringConnect = code;

			return;
		}
		if (this.#leaving || this.#closed) {
			this.#finish('left');
		} else if (code === CloseCode.RoomEnded || this.#ended) {
			this.#finish('ended');
		} else if (code === CloseCode.Removed || this.#closing === 'removed') {
			this.#finish('removed');
		} else if (code === CloseCode.Replaced || this.#closing === 'replaced') {
			this.#finish('replaced');
		} else if (code === CloseCode.ProtocolVersion) {
			this.#finish('protocol', 'room.closed.protocol');
		} else {
			// Moving, shutdown, network loss, our own restart: rejoin with a fresh ticket.
			this.#scheduleReconnect(code === CloseCode.Moving || this.#closing === 'moving');
		}
	}

	#scheduleReconnect(immediate = false): void {
		if (this.#closed) {
			return;
		}
		this.#setStatus('reconnecting');
		clearTimeout(this.#reconnectTimer);
		const delay = immediate ? 0 : reconnectDelay(this.#attempt++, this.#options.random);
		this.#reconnectTimer = setTimeout(() => {
			if (this.#closed) {
				return;
			}
			this.#connect().then(
				() => this.#events.reconnected(),
				(error: unknown) => {
					const fatal = fatalError(error);
					if (fatal) {
						this.#finish(fatal.reason, fatal.messageKey);
					} else {
						this.#scheduleReconnect();
					}
				}
			);
		}, delay);
	}

	// Drops everything tied to one session: socket, channel, and (through the owner) media.
	#teardown(): void {
		this.#channel?.close('socket closed');
		this.#channel = null;
		if (this.#socket) {
			this.#socket.onmessage = null;
			this.#socket.onclose = null;
			this.#socket.close(NORMAL_CLOSE);
			this.#socket = null;
		}
		this.#events.teardown();
	}

	#finish(reason: CloseReason, error: MessageKey | null = null): void {
		this.#closed = true;
		this.#sessionId++;
		clearTimeout(this.#reconnectTimer);
		this.#teardown();
		this.#status = 'closed';
		this.#events.closed(reason, error);
	}
}
