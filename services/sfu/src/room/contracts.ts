import type { ConsumerInfo, ReplyData, RequestType, Snapshot, TransportInfo, UserSummary } from '@majlis/protocol';
import type { types } from 'mediasoup';
import type { Peer, PeerChannel } from './Peer.js';

// PeerChannel is declared beside Peer (which holds one) and offered here with the other contracts, so
// that signalling has one place to import from and Peer.ts does not import this file back.
export type { PeerChannel };

/** Requests a session handles itself: joining and leaving are about the socket, not the room. */
export type SessionRequestType = 'session:join' | 'session:leave';

/** Requests a room answers for one of its peers. */
export type RoomRequestType = Exclude<RequestType, SessionRequestType>;

/** What joining gives the session to send back. */
export interface JoinResult {
	/** The new peer. */
	peer: Peer;
	/** The room's RTP capabilities for mediasoup-client's Device. */
	routerRtpCapabilities: types.RtpCapabilities;
	/** The full state; the session fills in `seq`. */
	snapshot: Omit<Snapshot, 'seq'>;
}

/**
 * What a session needs of its room: the Room on the room's origin node (through signalling's handler
 * table), or a RelayRoom on a relay node.
 */
export interface SessionRoom {
	/** Whether it closed (a session then opens it afresh). */
	readonly closed: boolean;
	/**
	 * Adds a connection; see `Room.join`. `ticket` is the join ticket the user and `speakerGuest` were read
	 * from: a relay forwards it so the origin checks it itself.
	 */
	join(
		user: UserSummary,
		speakerGuest: boolean,
		channel: PeerChannel,
		ticket: string
	): JoinResult | Promise<JoinResult>;
	/** A connection ended; see `Room.leave`. */
	leave(peer: Peer, how?: 'left' | 'dropped'): void;
	/** Answers one request of `peer` (already validated against the protocol). */
	request(peer: Peer, type: RoomRequestType, data: unknown): Promise<ReplyData<RoomRequestType>>;
}

/** The media requests: served by the node the client's transports are on (a Room or a RelayRoom). */
export interface MediaRequests {
	/** `transport:create`. */
	createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<TransportInfo>;
	/** `transport:connect`. */
	connectTransport(peer: Peer, transportId: string, dtlsParameters: Record<string, unknown>): Promise<void>;
	/** `transport:restartIce`. */
	restartIce(peer: Peer, transportId: string): Promise<Record<string, unknown>>;
	/** `consume:start`: the consumers when `batch`, else none (each announced with `consumer:new`). */
	consumeStart(peer: Peer, rtpCapabilities: Record<string, unknown>, batch: boolean): Promise<ConsumerInfo[]>;
	/** `consumer:resume`. */
	resumeConsumer(peer: Peer, consumerId: string): Promise<void>;
	/** `consumers:resume`. */
	resumeConsumers(peer: Peer, consumerIds: readonly string[]): Promise<void>;
	/** `produce`. */
	produce(
		peer: Peer,
		transportId: string,
		kind: string,
		rtpParameters: Record<string, unknown>
	): Promise<string>;
	/** `plain:create` (load generator only). */
	createPlainTransport(
		peer: Peer,
		direction: 'send' | 'recv',
		remote: { ip: string; port: number } | undefined,
		srtp: { cryptoSuite: string; keyBase64: string } | undefined
	): Promise<ReplyData<'plain:create'>>;
}
