import { useEffect, useState } from 'react';
import { getRecordingSetting } from './replayApi';

// One request per room and tab: the setting cannot change once the room is live.
const known = new Map<string, Promise<boolean>>();

/** Whether the room was scheduled with recording on (null until known, false if it cannot be read). */
export function useRecordingEnabled(roomId: string | null): boolean | null {
	const [enabled, setEnabled] = useState<boolean | null>(null);

	useEffect(() => {
		if (!roomId) {
			return;
		}
		let current = true;
		let request = known.get(roomId);
		if (!request) {
			request = getRecordingSetting(roomId).catch(() => false);
			known.set(roomId, request);
		}
		void request.then((value) => {
			if (current) {
				setEnabled(value);
			}
		});

		return () => {
			current = false;
		};
	}, [roomId]);

	return enabled;
}

/** Forgets what {@link useRecordingEnabled} read for a room (after the host changed it). */
export function forgetRecordingEnabled(roomId: string): void {
	known.delete(roomId);
}
