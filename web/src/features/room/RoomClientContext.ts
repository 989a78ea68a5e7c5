import { createContext, useContext } from 'react';
import type { RoomClient } from './RoomClient';

/** The live room's client, for components that trigger actions. */
export const RoomClientContext = createContext<RoomClient | null>(null);

/** The current {@link RoomClient}; throws outside a live room. */
export function useRoomClient(): RoomClient {
	const client = useContext(RoomClientContext);
	if (!client) {
		throw new Error('useRoomClient() outside a live room');
	}

	return client;
}
