import type { JoinResponse, ServerNotification } from '@majlis/protocol';
import type { OpenSocket } from './lib/ClientSocket';
import type { Media, MediaEvents } from './lib/MediaSession';
import type { Announcement } from './lib/roomState';
import type { AudioState } from './stores/useAudioStore';
import type { MicState } from './stores/useMicStore';
import type { RoomStoreState } from './stores/useRoomStore';

/** What a `RoomClient` knows about the room, as the room store shows it. */
export type RoomView = Pick<RoomStoreState, 'status' | 'closeReason' | 'closeError' | 'live' | 'actionError'>;

/** Events of a `RoomClient`; `bindRoomStores()` writes them into the zustand stores. */
export type RoomClientEvents = {
	/** Part of the {@link RoomView} changed. */
	room(patch: Partial<RoomView>): void;
	/** Something to say in the live region. */
	announce(items: readonly Announcement[]): void;
	/** Playback changed (streams, autoplay blocked). */
	audio(patch: Partial<AudioState>): void;
	/** The microphone changed. */
	mic(state: MicState): void;
	/** Every notification of the current session, for features that keep their own state (chat, reactions). */
	notification(notification: ServerNotification): void;
};

/** Options of `RoomClient`. */
export interface RoomClientOptions {
	/** The room to join. */
	roomId: string;
	/** Gets a join ticket; defaults to `POST /api/rooms/:id/join`. */
	join?: (roomId: string) => Promise<JoinResponse>;
	/** Timeout of each signalling request in ms. */
	requestTimeoutMs?: number;
	/** Opens the signalling socket; defaults to the browser's WebSocket. */
	openSocket?: OpenSocket;
	/** Media for each session; defaults to WebRTC through mediasoup-client (`MediaSession`). */
	createMedia?: (events: MediaEvents) => Media;
	/** Jitter source of the reconnect backoff. */
	random?: () => number;
}
