import { create } from 'zustand';
import type { MessageKey } from '../../../i18n';
import type { Announcement, RoomState } from '../lib/roomState';

/** Signalling connection status. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Why the client stopped for good (no automatic reconnect). */
export type CloseReason = 'left' | 'ended' | 'replaced' | 'removed' | 'protocol' | 'failed';

/** An announcement waiting in (or shown by) the live region. */
export interface AnnouncementEntry extends Announcement {
	/** Increasing id, so equal messages still re-render. */
	id: number;
}

/** A failed action, shown in an alert until dismissed or replaced. */
export interface ActionError {
	/** Translated message key. */
	key: MessageKey;
	/** Server message, when it helps. */
	detail?: string;
}

/** State of the live room store. */
export interface RoomStoreState {
	/** Room the client is in (or joining). */
	roomId: string | null;
	/** Signalling status. */
	status: ConnectionStatus;
	/** Why it closed, when `status` is `closed`. */
	closeReason: CloseReason | null;
	/** Detail of a `failed` close. */
	closeError: MessageKey | null;
	/** Room state from the snapshot and deltas; null before the first snapshot. */
	live: RoomState | null;
	/** Recent announcements for the live region (newest last). */
	announcements: AnnouncementEntry[];
	/** Last failed action. */
	actionError: ActionError | null;
}

/** Initial (empty) state. */
export const initialRoomState: RoomStoreState = {
	roomId: null,
	status: 'idle',
	closeReason: null,
	closeError: null,
	live: null,
	announcements: [],
	actionError: null,
};

/** The live room as `RoomClient` sees it; components only read it. */
export const useRoomStore = create<RoomStoreState>()(() => initialRoomState);

let announcementId = 0;

/** Appends announcements for the live region, keeping the last few. */
export function announce(items: readonly Announcement[]): void {
	if (items.length === 0) {
		return;
	}
	const entries = items.map((a) => ({ ...a, id: ++announcementId }));
	useRoomStore.setState((s) => ({ announcements: [...s.announcements, ...entries].slice(-5) }));
}
