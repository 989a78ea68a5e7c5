import type { ReplyData, RequestData, RequestType } from '@majlis/protocol';
import { useEffect, useRef } from 'react';
import { useRoomClient } from './RoomClientContext';
import { useRoomStore } from './stores/useRoomStore';

/**
 * Asks the room for `type` (no data) on each (re)connected session while `enabled`, and hands the reply
 * to `apply`: a panel's state starts from what the server has, and its notifications keep it current.
 * A reply that comes after the next reconnection, or after the panel went, is dropped.
 */
export function useSessionRequest<T extends RequestType>(
	type: T,
	apply: (reply: ReplyData<T>) => void,
	enabled = true
): void {
	const client = useRoomClient();
	const status = useRoomStore((s) => s.status);
	// The latest `apply`, so that only a new session (or `enabled`) asks again, not each render.
	const latest = useRef(apply);
	latest.current = apply;

	useEffect(() => {
		if (status !== 'connected' || !enabled) {
			return;
		}
		let current = true;
		client
			.request(type, {} as RequestData<T>)
			.then((reply) => current && latest.current(reply))
			.catch(() => undefined);

		return () => {
			current = false;
		};
	}, [client, status, type, enabled]);
}
