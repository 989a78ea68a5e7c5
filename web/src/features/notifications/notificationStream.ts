import type { NotificationStreamMessage } from '@majlis/protocol';
import { getToken } from '../../api';

/** An event of the per-user stream, as the page gets it. */
export type StreamEvent = NotificationStreamMessage;

/** Splits server-sent-event text into complete events' data; returns them and the unfinished rest. */
export function parseSse(buffer: string): { data: string[]; rest: string } {
	const data: string[] = [];
	const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
	const rest = blocks.pop() ?? '';
	for (const block of blocks) {
		const lines = block
			.split('\n')
			.filter((l) => l.startsWith('data:'))
			.map((l) => l.slice(5).replace(/^ /, ''));
		if (lines.length > 0) {
			data.push(lines.join('\n'));
		}
	}

	return { data, rest };
}

/**
 * Follows `GET /api/me/notifications/stream` with the stored token (EventSource cannot send one), and
 * reconnects after a drop with a growing wait; returns a function that stops it.
 */
export function followNotifications(onEvent: (event: StreamEvent) => void, onOpen: () => void): () => void {
	let stopped = false;
	let controller: AbortController | null = null;
	let wait = 1000;

	async function connect(): Promise<void> {
		const token = getToken();
		if (stopped || !token) {
			return;
		}
		controller = new AbortController();
		try {
			const response = await fetch('/api/me/notifications/stream', {
				headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
				signal: controller.signal,
			});
			if (response.status === 401) {
				return;
			}
			if (!response.ok || !response.body) {
				throw new Error(`stream ${response.status}`);
			}
			wait = 1000;
			onOpen();
			const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
			let buffer = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done) {
					break;
				}
				const parsed = parseSse(buffer + value);
				buffer = parsed.rest;
				for (const data of parsed.data) {
					try {
						onEvent(JSON.parse(data) as StreamEvent);
					} catch {
						// A malformed event is skipped; the next list load corrects the state.
					}
				}
			}
		} catch {
			// Dropped or refused: try again below.
		}
		if (!stopped) {
			setTimeout(() => void connect(), wait);
			wait = Math.min(wait * 2, 30_000);
		}
	}
	void connect();

	return () => {
		stopped = true;
		controller?.abort();
	};
}
