import { create } from 'zustand';
// Types only: the app shell reads the session without loading mediasoup-client (see joinRoomSession.ts).
import type { RoomClient } from './RoomClient';

/** The room this tab is in: its client outlives the room page, so audio keeps playing while browsing. */
export interface RoomSessionState {
	/** The client of the joined room, or null. */
	client: RoomClient | null;
}

/** The app-level room session (one per tab); the room page and the mini-player read it. */
export const useRoomSession = create<RoomSessionState>()(() => ({ client: null }));

// A reload (or a crashed tab reopened) is not a leave: the tab remembers its room for the rejoin grace,
// in sessionStorage, which survives reloads of the same tab and nothing else.
const RESUME_KEY = 'majlis.room';
/** How long after the last sign of life a reloaded tab rejoins by itself (seats are held for the SFU's rejoin grace). */
export const RESUME_WINDOW_MS = 120_000;

interface ResumeEntry {
	roomId: string;
	at: number;
}

/** Remembers (or with null, forgets) the tab's room for a reload within {@link RESUME_WINDOW_MS}. */
export function remember(roomId: string | null): void {
	try {
		if (roomId) {
			sessionStorage.setItem(RESUME_KEY, JSON.stringify({ roomId, at: Date.now() } satisfies ResumeEntry));
		} else {
			sessionStorage.removeItem(RESUME_KEY);
		}
	} catch {
		// No storage: a reload shows the Join button, as before.
	}
}

/** Whether this tab was in `roomId` moments ago (then reloaded): the room page rejoins without a click. */
export function shouldResume(roomId: string, now = Date.now()): boolean {
	try {
		const entry = JSON.parse(sessionStorage.getItem(RESUME_KEY) ?? 'null') as ResumeEntry | null;

		return entry?.roomId === roomId && now - entry.at <= RESUME_WINDOW_MS;
	} catch {
		return false;
	}
}

if (typeof window !== 'undefined') {
	// The moment the page goes away is the one that counts for the window.
	window.addEventListener('pagehide', () => {
		const client = useRoomSession.getState().client;
		if (client && !client.closed) {
			remember(client.roomId);
		}
	});
}

/** Leaves the session's room on purpose (the tab forgets it, so a reload does not rejoin). */
export async function leaveSession(): Promise<void> {
	const client = useRoomSession.getState().client;
	remember(null);
	await client?.leave();
}

/** Forgets the session of `roomId` if it is closed for good, so its page offers a fresh start. */
export function dropClosedSession(roomId: string): void {
	const client = useRoomSession.getState().client;
	if (client?.roomId === roomId && client.closed) {
		useRoomSession.setState({ client: null });
	}
}
