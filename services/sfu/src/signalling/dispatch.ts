import type { ReplyData, RequestData } from '@majlis/protocol';
import type { MediaRequests, RoomRequestType, SessionRoom } from '../room/contracts.js';
import type { Peer } from '../room/Peer.js';
import type { Room } from '../room/Room.js';

/** The media requests, served by the node the client's transports are on. */
export const MEDIA_REQUEST_TYPES = [
	'transport:create',
	'transport:connect',
	'transport:restartIce',
	'consume:start',
	'consumer:resume',
	'consumers:resume',
	'produce',
	'plain:create',
] as const satisfies readonly RoomRequestType[];

/** A media request type (see {@link MEDIA_REQUEST_TYPES}). */
export type MediaRequestType = (typeof MEDIA_REQUEST_TYPES)[number];

/** The requests only the room's origin answers: hands, stage, mutes, moderation, listeners, the end. */
export type RoomLevelRequestType = Exclude<RoomRequestType, MediaRequestType>;

/** Answers one request type for `peer` on `target`, with that type's reply data. */
export type RequestHandler<Target, T extends RoomRequestType> = (
	target: Target,
	peer: Peer,
	data: RequestData<T>
) => Promise<ReplyData<T>>;

/** One handler per request type: a type without a handler does not compile. */
export type HandlerTable<Target, K extends RoomRequestType> = { [T in K]: RequestHandler<Target, T> };

const DEFAULT_LISTENERS_PAGE = 50;

const MEDIA_HANDLERS: HandlerTable<MediaRequests, MediaRequestType> = {
	'transport:create': (media, peer, { direction }) => media.createTransport(peer, direction),
	'transport:connect': async (media, peer, { transportId, dtlsParameters }) => {
		await media.connectTransport(peer, transportId, dtlsParameters);

		return {};
	},
	'transport:restartIce': async (media, peer, { transportId }) => ({
		iceParameters: await media.restartIce(peer, transportId),
	}),
	'consume:start': async (media, peer, { rtpCapabilities, batch }) => {
		const consumers = await media.consumeStart(peer, rtpCapabilities, batch === true);

		return batch === true ? { consumers } : {};
	},
	'consumer:resume': async (media, peer, { consumerId }) => {
		await media.resumeConsumer(peer, consumerId);

		return {};
	},
	'consumers:resume': async (media, peer, { consumerIds }) => {
		await media.resumeConsumers(peer, consumerIds);

		return {};
	},
	produce: async (media, peer, { transportId, kind, rtpParameters }) => ({
		producerId: await media.produce(peer, transportId, kind, rtpParameters),
	}),
	// Load generator only: refused unless the node allows plain transports.
	'plain:create': (media, peer, { direction, remote, srtp }) =>
		media.createPlainTransport(peer, direction, remote, srtp),
};

const ROOM_HANDLERS: HandlerTable<Room, RoomLevelRequestType> = {
	'mic:mute': async (room, peer) => {
		await room.stage.muteSelf(peer);

		return {};
	},
	'mic:unmute': async (room, peer) => {
		await room.stage.unmuteSelf(peer);

		return {};
	},
	'hand:raise': async (room, peer) => {
		room.stage.raiseHand(peer);

		return {};
	},
	'hand:lower': async (room, peer) => {
		room.stage.lowerHand(peer);

		return {};
	},
	'stage:invite': async (room, peer, { userId }) => {
		room.stage.invite(peer, userId);

		return {};
	},
	'stage:accept': async (room, peer) => {
		room.stage.accept(peer);

		return {};
	},
	'stage:decline': async (room, peer) => {
		room.stage.decline(peer);

		return {};
	},
	'stage:remove': async (room, peer, { userId, reason }) => {
		room.stage.remove(peer, userId ?? peer.id);
		if (userId !== undefined && userId !== peer.id) {
			room.moderation.record(peer.user, 'moveToListeners', userId, reason);
		}

		return {};
	},
	'speaker:mute': async (room, peer, { userId, reason }) => {
		await room.stage.muteSpeaker(peer, userId);
		room.moderation.record(peer.user, 'mute', userId, reason);

		return {};
	},
	'speaker:muteAll': async (room, peer) => {
		await room.stage.muteAll(peer);
		room.moderation.record(peer.user, 'muteAll', null);

		return {};
	},
	'peer:remove': async (room, peer, { userId, reason }) => {
		// Named before the removal closes their connection.
		const target = room.moderation.target(userId);
		await room.removePeer(peer, userId);
		room.moderation.record(peer.user, 'remove', target, reason);

		return {};
	},
	'listeners:list': async (room, _peer, { offset, limit }) =>
		room.listeners(offset ?? 0, limit ?? DEFAULT_LISTENERS_PAGE),
	'room:end': async (room, peer) => {
		await room.end(peer);
		room.moderation.record(peer.user, 'end', null);

		return {};
	},
	'reaction:send': async (room, peer, { reaction, to }) => {
		room.reactions.add(peer.id, reaction, to);

		return {};
	},
	// Connection quality (issue #16): anyone's own report; it only feeds the count staff see.
	'quality:report': async (room, peer, report) => {
		room.quality.report(peer.id, report);

		return {};
	},
	'chat:history': (room, peer) => room.chat.history(peer),
	'chat:send': (room, peer, { text }) => room.chat.send(peer, text),
	'chat:delete': async (room, peer, { messageId, reason }) => {
		const message = await room.chat.delete(peer, messageId);
		room.moderation.record(peer.user, 'chatDelete', message.user, reason);

		return {};
	},
	'chat:mute': async (room, peer, { userId, muted, reason }) => {
		room.chat.setMuted(peer, userId, muted);
		room.moderation.record(peer.user, muted ? 'chatMute' : 'chatUnmute', userId, reason);

		return {};
	},
	'link:pin': async (room, peer, { url, title }) => room.pinnedLink.pin(peer, url, title),
	'link:unpin': async (room, peer) => {
		room.pinnedLink.unpin(peer);

		return {};
	},
	'link:current': async (room) => ({ link: room.pinnedLink.current }),
	'moderation:list': async (room, peer) => ({ entries: await room.moderation.list(peer) }),
	'chat:slowMode': async (room, peer, { seconds }) => {
		await room.chat.setSlowMode(peer, seconds);

		return {};
	},
	'recording:start': (room, peer) => room.recording.start(peer),
	'recording:stop': async (room, peer) => {
		room.recording.stop(peer);

		return {};
	},
};

// The one place a handler is looked up by a runtime type: `data` was validated against that type's
// schema (parseClientFrame), which TypeScript cannot relate to the key.
function run<Target, K extends RoomRequestType>(
	table: HandlerTable<Target, K>,
	target: Target,
	peer: Peer,
	type: K,
	data: unknown
): Promise<ReplyData<K>> {
	const handler = table[type] as unknown as (
		target: Target,
		peer: Peer,
		data: unknown
	) => Promise<ReplyData<K>>;

	return handler(target, peer, data);
}

/** Whether `type` is a media request (see {@link MEDIA_REQUEST_TYPES}). */
export function isMediaRequest(type: RoomRequestType): type is MediaRequestType {
	return Object.hasOwn(MEDIA_HANDLERS, type);
}

/** Answers a media request (validated against the protocol) with that type's reply data. */
export async function dispatchMedia(
	target: MediaRequests,
	peer: Peer,
	type: MediaRequestType,
	data: unknown
): Promise<ReplyData<MediaRequestType>> {
	return run(MEDIA_HANDLERS, target, peer, type, data);
}

/** Answers a request of a peer of an origin Room (validated against the protocol): media or room-level. */
export async function dispatchRoom(
	room: Room,
	peer: Peer,
	type: RoomRequestType,
	data: unknown
): Promise<ReplyData<RoomRequestType>> {
	return isMediaRequest(type)
		? dispatchMedia(room.media, peer, type, data)
		: run(ROOM_HANDLERS, room, peer, type, data);
}

/** The origin Room as a session sees it: membership from the Room, requests through the handler table. */
export function originSession(room: Room): SessionRoom {
	return {
		get closed() {
			return room.closed;
		},
		join: (user, speakerGuest, channel) => room.join(user, speakerGuest, channel),
		leave: (peer, how) => room.leave(peer, how),
		request: (peer, type, data) => dispatchRoom(room, peer, type, data),
	};
}
