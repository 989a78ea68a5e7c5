import type { RoomClient } from '../RoomClient';
import { useAudioStore } from './useAudioStore';
import { useMicStore } from './useMicStore';
import { announce, initialRoomState, useRoomStore } from './useRoomStore';

/**
 * Binds the room, audio and microphone stores to `client`: resets them for its room, then writes every
 * change the client emits. The one place the stores are written from; returns a function that unbinds.
 */
export function bindRoomStores(client: RoomClient): () => void {
	useRoomStore.setState({ ...initialRoomState, roomId: client.roomId, ...client.state });
	useAudioStore.setState({ blocked: false, streams: 0 });
	useMicStore.setState({ status: 'off', error: null });
	const unbind = [
		client.on('room', (patch) => useRoomStore.setState(patch)),
		client.on('announce', (items) => announce(items)),
		client.on('audio', (patch) => useAudioStore.setState(patch)),
		client.on('mic', (state) => useMicStore.setState(state)),
	];

	return () => {
		for (const off of unbind) {
			off();
		}
	};
}
