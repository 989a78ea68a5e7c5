import {
	CloseCode,
	ErrorCode,
	type NotificationData,
	type NotificationType,
	type ParsedClientFrame,
	PROTOCOL_VERSION,
	parseClientFrame,
	type ReplyData,
	type RequestData,
	type RequestType,
	type ServerNotification,
	type ServerReply,
} from '@majlis/protocol';
import type { Logger, TokenService } from '@majlis/server-kit';
import WebSocket from 'ws';
import type { Clock, Timer } from '../Clock.js';
import {
	InvalidStateError,
	ProtocolVersionError,
	RateLimitedError,
	TicketUsedError,
	toWireError,
	UnauthorizedError,
} from '../errors.js';
import type { PeerChannel, SessionRoom } from '../room/contracts.js';
import type { Peer } from '../room/Peer.js';
import { assertListenOnly } from './listenOnly.js';
import { DEFAULT_SOCKET_LIMITS, SocketLimiter, type SocketLimits } from './socketLimits.js';

/** What a session needs from the SFU. */
export interface SessionDeps {
	/** Verifies join tickets. */
	tokens: TokenService;
	/** This node's id; tickets name the node the API placed the user on. */
	nodeId: string;
	/**
	 * Opens (or returns the open) room: the Room itself, or, when the ticket names another node as the
	 * room's `origin`, a relay of it.
	 */
	openRoom(roomId: string, origin: string | undefined): Promise<SessionRoom>;
	/** Time and timers. */
	clock: Clock;
	/** Logger. */
	log: Logger;
	/** How long a new socket has to send `session:join`. */
	joinTimeoutMs: number;
	/** How often the socket is pinged; a socket that missed a pong is dropped. */
	pingIntervalMs: number;
	/** Message rate and repeat limits; default {@link DEFAULT_SOCKET_LIMITS}. */
	limits?: SocketLimits;
	/** Records a ticket id as used: false when it was used before (see `ticketLedger`). */
	claimTicket(jti: string): Promise<boolean>;
}

type Frame = Extract<ParsedClientFrame, { ok: true }>;
type Phase = 'awaiting-join' | 'joining' | 'joined' | 'closed';

function rawText(data: WebSocket.RawData): string {
	if (Buffer.isBuffer(data)) {
		return data.toString('utf8');
	}

	return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}

function rawBytes(data: WebSocket.RawData): number {
	if (Array.isArray(data)) {
		return data.reduce((sum, part) => sum + part.length, 0);
	}

	return data.byteLength;
}

// A refused frame is not parsed (that is the point of refusing it): its id, which clients write first,
// is read from its first bytes so the refusal can still be answered.
const LEADING_ID = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/;
function leadingId(data: WebSocket.RawData): number | null {
	const first = Array.isArray(data) ? data[0] : Buffer.isBuffer(data) ? data : Buffer.from(data);
	const head = first?.subarray(0, 48).toString('latin1');
	const match = head === undefined ? null : LEADING_ID.exec(head);

	return match ? Number(match[1]) : null;
}

// The close code that tells a client why its session:join failed.
function closeCodeFor(code: ErrorCode): number {
	switch (code) {
		case ErrorCode.Banned: {
			return CloseCode.Removed;
		}
		case ErrorCode.RoomEnded:
		case ErrorCode.NotFound: {
			return CloseCode.RoomEnded;
		}
		case ErrorCode.ProtocolVersion: {
			return CloseCode.ProtocolVersion;
		}
		case ErrorCode.Unavailable: {
			// 1013 Try Again Later.
			return 1013;
		}
		case ErrorCode.Internal: {
			return 1011;
		}
		default: {
			return CloseCode.Unauthorized;
		}
	}
}

/**
 * One WebSocket connection: authenticates with `session:join`, then turns each validated request into a
 * call on its Room and answers `{id, ok, data|error}`. Requests of a socket run one at a time, in order.
 * It is the Peer's channel: notifications go out numbered by `seq`, after the join snapshot.
 */
export class SocketSession implements PeerChannel {
	readonly #ws: WebSocket;
	readonly #deps: SessionDeps;
	readonly #log: Logger;
	#phase: Phase = 'awaiting-join';
	#seq = 0;
	#room: SessionRoom | undefined;
	#peer: Peer | undefined;
	#queue: Promise<void> = Promise.resolve();
	#joinTimer: Timer | undefined;
	#pingTimer: Timer | undefined;
	#alive = true;
	// Notifications raised between the join and its reply wait here, so the snapshot goes out first.
	#held: string[] | undefined;
	#handling = false;
	#closeAfterReply: { code: number; reason: string } | undefined;
	readonly #limiter: SocketLimiter;
	// Set by `session:leave`: the user left on purpose, so their stage seat is not held for a rejoin.
	#leaving = false;
	/** Joined with an anonymous ticket (reach, issue 14): listen only. */
	#anonymous = false;

	/** Takes over an upgraded socket. */
	constructor(ws: WebSocket, deps: SessionDeps) {
		this.#ws = ws;
		this.#deps = deps;
		this.#log = deps.log;
		this.#limiter = new SocketLimiter(deps.limits ?? DEFAULT_SOCKET_LIMITS, deps.clock);
		ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
		ws.on('close', () => this.#onClose());
		ws.on('error', (error) => this.#log.debug({ err: error }, 'socket error'));
		ws.on('pong', () => {
			this.#alive = true;
		});
		this.#joinTimer = deps.clock.setTimeout(() => {
			if (this.#phase === 'awaiting-join') {
				this.#close(CloseCode.Unauthorized, 'session:join expected');
			}
		}, deps.joinTimeoutMs);
		this.#pingTimer = deps.clock.setInterval(() => {
			if (!this.#alive) {
				this.#ws.terminate();

				return;
			}
			this.#alive = false;
			this.#ws.ping();
		}, deps.pingIntervalMs);
	}

	/** The peer once joined. */
	get peer(): Peer | undefined {
		return this.#peer;
	}

	/** Sends a notification with the next `seq`. */
	notify<T extends NotificationType>(type: T, data: NotificationData<T>): void {
		if (this.#phase === 'closed') {
			return;
		}
		this.#seq += 1;
		const frame = { type, seq: this.#seq, data } satisfies ServerNotification<T>;
		const json = JSON.stringify(frame);
		if (this.#held) {
			this.#held.push(json);
		} else {
			this.#sendRaw(json);
		}
	}

	/** Closes the socket; while a request is being answered, right after its reply. */
	close(code: number, reason: string): void {
		if (this.#handling) {
			this.#closeAfterReply ??= { code, reason };

			return;
		}
		this.#close(code, reason);
	}

	#close(code: number, reason: string): void {
		if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
			this.#ws.close(code, reason);
		}
	}

	#sendRaw(json: string): void {
		if (this.#ws.readyState === WebSocket.OPEN) {
			this.#ws.send(json);
		}
	}

	#reply<T extends RequestType>(reply: ServerReply<T>): void {
		this.#sendRaw(JSON.stringify(reply));
	}

	#onMessage(data: WebSocket.RawData, isBinary: boolean): void {
		if (this.#phase === 'closed') {
			return;
		}
		if (isBinary) {
			this.#close(CloseCode.PolicyViolation, 'binary frames are not part of the protocol');

			return;
		}
		// Admission comes before parsing: a flood costs its sender tokens, not this node's CPU.
		const admission = this.#limiter.admit(rawBytes(data));
		if (admission !== 'ok') {
			const id = admission === 'close' ? null : leadingId(data);
			if (id === null) {
				this.#log.warn({ userId: this.#peer?.id }, 'onMessage() | closing a socket that keeps flooding');
				this.#close(CloseCode.PolicyViolation, 'too many messages');

				return;
			}
			const error = new RateLimitedError('too many messages; slow down');
			this.#reply({ id, ok: false, error: { code: error.code, message: error.message } });

			return;
		}
		const parsed = parseClientFrame(rawText(data));
		if (!parsed.ok) {
			if (parsed.id === null) {
				// Nothing to answer to: a client that cannot frame a request is not speaking the protocol.
				this.#close(CloseCode.PolicyViolation, parsed.error.message.slice(0, 100));

				return;
			}
			this.#reply({ id: parsed.id, ok: false, error: parsed.error });
			if (this.#phase === 'awaiting-join') {
				this.#close(CloseCode.Unauthorized, 'session:join expected');
			}

			return;
		}
		if (this.#phase === 'awaiting-join' && parsed.type === 'session:join') {
			this.#phase = 'joining';
		}
		this.#queue = this.#queue.then(() => this.#handle(parsed));
	}

	async #handle(frame: Frame): Promise<void> {
		if (this.#phase === 'closed') {
			return;
		}
		this.#handling = true;
		try {
			const data = await this.#dispatch(frame);
			this.#reply({ id: frame.id, ok: true, data } satisfies ServerReply);
		} catch (error) {
			const wire = toWireError(error);
			if (wire.code === ErrorCode.Internal) {
				this.#log.error({ err: error, type: frame.type }, 'handle() | request failed');
			} else {
				this.#log.debug({ code: wire.code, message: wire.message, type: frame.type }, 'handle() | refused');
			}
			this.#reply({ id: frame.id, ok: false, error: wire });
			if (this.#phase !== 'joined') {
				this.#held = undefined;
				this.#closeAfterReply ??= { code: closeCodeFor(wire.code), reason: wire.code };
			}
		} finally {
			this.#handling = false;
			if (this.#held) {
				const held = this.#held;
				this.#held = undefined;
				for (const json of held) {
					this.#sendRaw(json);
				}
			}
			if (this.#closeAfterReply) {
				const { code, reason } = this.#closeAfterReply;
				this.#closeAfterReply = undefined;
				if (this.#peer && this.#room) {
					// Leaving closes the peer, whose channel (this) closes the socket.
					this.#room.leave(this.#peer);
				}
				this.#close(code, reason);
			}
		}
	}

	#joined(): { room: SessionRoom; peer: Peer } {
		if (this.#phase !== 'joined' || !this.#room || !this.#peer) {
			throw new UnauthorizedError('send session:join first');
		}

		return { room: this.#room, peer: this.#peer };
	}

	// Joining and leaving are the session's; every other request goes to the room for this peer.
	async #dispatch(frame: Frame): Promise<ReplyData<RequestType>> {
		if (this.#anonymous) {
			assertListenOnly(frame.type);
		}
		switch (frame.type) {
			case 'session:join': {
				return this.#join(frame.data as RequestData<'session:join'>);
			}
			case 'session:leave': {
				this.#joined();
				this.#leaving = true;
				this.#closeAfterReply = { code: 1000, reason: 'left' };

				return {} satisfies ReplyData<'session:leave'>;
			}
			case 'hand:raise':
			case 'hand:lower': {
				const { room, peer } = this.#joined();
				const direction = frame.type === 'hand:raise' ? 'raise' : 'lower';
				this.#assertHandChange(direction);
				const reply = await room.request(peer, frame.type, frame.data);
				this.#limiter.recordHandChange(direction);

				return reply;
			}
			default: {
				const { room, peer } = this.#joined();

				return room.request(peer, frame.type, frame.data);
			}
		}
	}

	// Hand raise/lower toggles are debounced: moderators see every change, so a flapping hand is noise.
	#assertHandChange(direction: 'raise' | 'lower'): void {
		if (!this.#limiter.handChangeAllowed(direction)) {
			throw new RateLimitedError('a lowered hand can be raised again after a second (at most once a second)');
		}
	}

	async #join(data: RequestData<'session:join'>): Promise<ReplyData<'session:join'>> {
		if (this.#phase === 'joined') {
			throw new InvalidStateError('already joined');
		}
		if (data.protocolVersion !== PROTOCOL_VERSION) {
			throw new ProtocolVersionError(`this server speaks protocol version ${PROTOCOL_VERSION}`);
		}
		const claims = await this.#deps.tokens.verifyTicket(data.ticket);
		if (data.roomId !== undefined && data.roomId !== claims.rid) {
			throw new UnauthorizedError('the ticket is for another room');
		}
		if (claims.node !== this.#deps.nodeId) {
			throw new UnauthorizedError('the ticket is for another node');
		}
		// Single use: a replayed ticket (a copy from a log, a reused older one) is refused.
		if (claims.jti === undefined) {
			throw new UnauthorizedError('the ticket has no id');
		}
		if (!(await this.#deps.claimTicket(claims.jti))) {
			throw new TicketUsedError();
		}
		const origin = claims.org !== undefined && claims.org !== this.#deps.nodeId ? claims.org : undefined;
		let room = await this.#deps.openRoom(claims.rid, origin);
		if (room.closed) {
			// It closed (idle, or its worker died) while we waited: open it afresh.
			room = await this.#deps.openRoom(claims.rid, origin);
		}
		if (this.#phase === 'closed') {
			throw new InvalidStateError('socket closed while joining');
		}
		// Deltas raised by the join itself are numbered after the snapshot and sent after the reply.
		const seq = this.#seq;
		this.#held = [];
		const { peer, routerRtpCapabilities, snapshot } = await room.join(
			{ id: claims.sub, handle: claims.hdl, displayName: claims.name },
			claims.sg,
			this,
			data.ticket
		);
		// A relay's join awaits the origin: the socket may have closed meanwhile (TS cannot see that).
		if ((this.#phase as Phase) === 'closed') {
			// Give the place back.
			room.leave(peer, 'dropped');
			throw new InvalidStateError('socket closed while joining');
		}
		this.#room = room;
		this.#peer = peer;
		this.#anonymous = claims.anon === true;
		this.#phase = 'joined';
		this.#joinTimer?.cancel();

		return { routerRtpCapabilities: { ...routerRtpCapabilities }, snapshot: { ...snapshot, seq } };
	}

	#onClose(): void {
		if (this.#phase === 'closed') {
			return;
		}
		this.#phase = 'closed';
		this.#joinTimer?.cancel();
		this.#pingTimer?.cancel();
		if (this.#room && this.#peer) {
			// A socket that closed without `session:leave` (network loss, crash, reload) may come back:
			// the room holds its stage seat and mute state for a short while.
			this.#room.leave(this.#peer, this.#leaving ? 'left' : 'dropped');
		}
	}
}
