import { RoomClient, type RoomClientOptions } from './RoomClient';
import { remember, useRoomSession } from './roomSession';
import { bindRoomStores } from './stores/bindRoomStores';
import { forgetRemoval, rememberRemoval } from './removedRooms';

let unbind: (() => void) | undefined;

/** Joins `roomId` (leaving any other room first) and makes it the tab's session. */
export function joinSession(roomId: string, options: Omit<RoomClientOptions, 'roomId'> = {}): RoomClient {
	const previous = useRoomSession.getState().client;
	if (previous) {
		void previous.leave();
	}
	unbind?.();
	const client = new RoomClient({ ...options, roomId });
	unbind = bindRoomStores(client);
	client.on('room', (patch) => {
		if (patch.status === 'connected') {
			remember(roomId);
			forgetRemoval(roomId);
		} else if (patch.status === 'closed') {
			remember(null);
			if (patch.closeReason === 'removed') {
				rememberRemoval(roomId);
			}
		}
	});
	useRoomSession.setState({ client });
	void client.join();

	return client;
}
