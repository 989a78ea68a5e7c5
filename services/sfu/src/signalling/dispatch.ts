import type { ReplyData, RequestData, RequestType, TransportInfo, UserSummary } from '@majlis/protocol';
import { InvalidStateError } from '../errors.js';
import type { Peer, PeerChannel } from '../Peer.js';
import type { JoinResult, Room } from '../Room.js';

/** Requests a session handles itself: joining and leaving are about the socket, not the room. */
export type SessionRequestType = 'session:join' | 'session:leave';
/** Requests a room answers for one of its peers. */
export type RoomRequestType = Exclude<RequestType, SessionRequestType>;

/** What a session needs of its room: the Room on the room's origin node, or a RelayRoom on a relay node. */
export interface SessionRoom {
	/** Whether it closed (a session then opens it afresh). */
	readonly closed: boolean;
	/** Adds a connection; see {@link Room.join}. */
	join(user: UserSummary, speakerGuest: boolean, channel: PeerChannel): JoinResult | Promise<JoinResult>;
	/** A connection ended; see {@link Room.leave}. */
	leave(peer: Peer, how?: 'left' | 'dropped'): void;
	/** Answers one request of `peer` (already validated against the protocol). */
	request(peer: Peer, type: RoomRequestType, data: unknown): Promise<ReplyData<RoomRequestType>>;
}

/** The media requests: served by the node the client's transports are on. */
export interface MediaRequests {
	/** `transport:create`. */
	createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<TransportInfo>;
	/** `transport:connect`. */
	connectTransport(peer: Peer, transportId: string, dtlsParameters: Record<string, unknown>): Promise<void>;
	/** `transport:restartIce`. */
	restartIce(peer: Peer, transportId: string): Promise<Record<string, unknown>>;
	/** `consume:start`. */
	consumeStart(peer: Peer, rtpCapabilities: Record<string, unknown>): Promise<void>;
	/** `consumer:resume`. */
	resumeConsumer(peer: Peer, consumerId: string): Promise<void>;
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

/** Request types answered by {@link dispatchMedia}. */
export const MEDIA_REQUEST_TYPES: ReadonlySet<RoomRequestType> = new Set<RoomRequestType>([
	'transport:create',
	'transport:connect',
	'transport:restartIce',
	'consume:start',
	'consumer:resume',
	'produce',
	'plain:create',
]);

const DEFAULT_LISTENERS_PAGE = 50;

/** Whether `type` is a media request (see {@link MEDIA_REQUEST_TYPES}). */
export function isMediaRequest(type: RoomRequestType): boolean {
	return MEDIA_REQUEST_TYPES.has(type);
}

/** The one dispatch of media requests: a block per type, each answering with that type's reply data. */
export async function dispatchMedia(
	target: MediaRequests,
	peer: Peer,
	type: RoomRequestType,
	data: unknown
): Promise<ReplyData<RoomRequestType>> {
	switch (type) {
		case 'transport:create': {
			const { direction } = data as RequestData<'transport:create'>;

			return (await target.createTransport(peer, direction)) satisfies ReplyData<'transport:create'>;
		}
		case 'transport:connect': {
			const { transportId, dtlsParameters } = data as RequestData<'transport:connect'>;
			await target.connectTransport(peer, transportId, dtlsParameters);

			return {} satisfies ReplyData<'transport:connect'>;
		}
		case 'transport:restartIce': {
			const { transportId } = data as RequestData<'transport:restartIce'>;

			return {
				iceParameters: await target.restartIce(peer, transportId),
			} satisfies ReplyData<'transport:restartIce'>;
		}
		case 'consume:start': {
			const { rtpCapabilities } = data as RequestData<'consume:start'>;
			await target.consumeStart(peer, rtpCapabilities);

			return {} satisfies ReplyData<'consume:start'>;
		}
		case 'consumer:resume': {
			const { consumerId } = data as RequestData<'consumer:resume'>;
			await target.resumeConsumer(peer, consumerId);

			return {} satisfies ReplyData<'consumer:resume'>;
		}
		case 'produce': {
			const { transportId, kind, rtpParameters } = data as RequestData<'produce'>;
			const producerId = await target.produce(peer, transportId, kind, rtpParameters);

			return { producerId } satisfies ReplyData<'produce'>;
		}
		case 'plain:create': {
			// Load generator only: refused unless the node allows plain transports.
			const { direction, remote, srtp } = data as RequestData<'plain:create'>;

			return (await target.createPlainTransport(
				peer,
				direction,
				remote,
				srtp
			)) satisfies ReplyData<'plain:create'>;
		}
		default: {
			throw new InvalidStateError(`request ${type} is not a media request`);
		}
	}
}

/** The one dispatch of a room's requests: media requests, then a block per room-level type. */
export async function dispatchRoom(
	room: Room,
	peer: Peer,
	type: RoomRequestType,
	data: unknown
): Promise<ReplyData<RoomRequestType>> {
	if (isMediaRequest(type)) {
		return dispatchMedia(room, peer, type, data);
	}
	switch (type) {
		case 'mic:mute': {
			await room.muteSelf(peer);

			return {} satisfies ReplyData<'mic:mute'>;
		}
		case 'mic:unmute': {
			await room.unmuteSelf(peer);

			return {} satisfies ReplyData<'mic:unmute'>;
		}
		case 'hand:raise': {
			room.raiseHand(peer);

			return {} satisfies ReplyData<'hand:raise'>;
		}
		case 'hand:lower': {
			room.lowerHand(peer);

			return {} satisfies ReplyData<'hand:lower'>;
		}
		case 'stage:invite': {
			const { userId } = data as RequestData<'stage:invite'>;
			room.invite(peer, userId);

			return {} satisfies ReplyData<'stage:invite'>;
		}
		case 'stage:accept': {
			room.acceptStage(peer);

			return {} satisfies ReplyData<'stage:accept'>;
		}
		case 'stage:decline': {
			room.declineStage(peer);

			return {} satisfies ReplyData<'stage:decline'>;
		}
		case 'stage:remove': {
			const { userId } = data as RequestData<'stage:remove'>;
			room.removeFromStage(peer, userId ?? peer.id);

			return {} satisfies ReplyData<'stage:remove'>;
		}
		case 'speaker:mute': {
			const { userId } = data as RequestData<'speaker:mute'>;
			await room.muteSpeaker(peer, userId);

			return {} satisfies ReplyData<'speaker:mute'>;
		}
		case 'speaker:muteAll': {
			await room.muteAll(peer);

			return {} satisfies ReplyData<'speaker:muteAll'>;
		}
		case 'peer:remove': {
			const { userId } = data as RequestData<'peer:remove'>;
			await room.removePeer(peer, userId);

			return {} satisfies ReplyData<'peer:remove'>;
		}
		case 'listeners:list': {
			const { offset, limit } = data as RequestData<'listeners:list'>;

			return room.listeners(
				offset ?? 0,
				limit ?? DEFAULT_LISTENERS_PAGE
			) satisfies ReplyData<'listeners:list'>;
		}
		case 'room:end': {
			await room.end(peer);

			return {} satisfies ReplyData<'room:end'>;
		}
		default: {
			// parseClientFrame only lets known types through; a type added to the protocol without a case
			// here (or in dispatchMedia) lands in this block.
			throw new InvalidStateError(`request ${type} is not handled`);
		}
	}
}
