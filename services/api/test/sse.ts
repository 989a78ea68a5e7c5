import type { NotificationStreamMessage } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';

/** An open `GET /api/me/notifications/stream` over real HTTP, collecting its events. */
export interface OpenStream {
	readonly events: NotificationStreamMessage[];
	/** Resolves with the first event (from now on or already received) matching `match`, within `ms`. */
	next(match: (e: NotificationStreamMessage) => boolean, ms?: number): Promise<NotificationStreamMessage>;
	close(): void;
	/** Whether the server ended the stream (not closed by {@link close}). */
	readonly ended: () => boolean;
}

/** Opens the stream of `token`'s user on `app`, which must be listening. */
export async function openStream(app: FastifyInstance, token: string): Promise<OpenStream> {
	const address = app.server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('app is not listening');
	}
	const abort = new AbortController();
	const res = await fetch(`http://127.0.0.1:${address.port}/api/me/notifications/stream`, {
		headers: { authorization: `Bearer ${token}` },
		signal: abort.signal,
	});
	if (res.status !== 200 || !res.body) {
		throw new Error(`stream: ${res.status} ${await res.text()}`);
	}
	const events: NotificationStreamMessage[] = [];
	const waiters = new Set<() => void>();
	let ended = false;
	void (async () => {
		const decoder = new TextDecoder();
		let buffer = '';
		try {
			for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
				buffer += decoder.decode(chunk, { stream: true });
				let end = buffer.indexOf('\n\n');
				while (end >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const data = block
						.split('\n')
						.filter((l) => l.startsWith('data: '))
						.map((l) => l.slice(6))
						.join('\n');
					if (data) {
						events.push(JSON.parse(data));
						for (const wake of waiters) {
							wake();
						}
					}
					end = buffer.indexOf('\n\n');
				}
			}
			ended = true;
		} catch {
			// Aborted by close().
		}
	})();

	return {
		events,
		async next(match, ms = 2000) {
			const deadline = Date.now() + ms;
			for (;;) {
				const found = events.find(match);
				if (found) {
					return found;
				}
				const left = deadline - Date.now();
				if (left <= 0) {
					throw new Error(`no matching stream event in ${ms} ms; got ${JSON.stringify(events)}`);
				}
				await new Promise<void>((resolve) => {
					const wake = () => {
						waiters.delete(wake);
						clearTimeout(timer);
						resolve();
					};
					const timer = setTimeout(wake, left);
					waiters.add(wake);
				});
			}
		},
		close() {
			abort.abort();
		},
		ended: () => ended,
	};
}
