import type { ClientSocket } from '../lib/ClientSocket';

/** The server end of a {@link createSocketPair}: what the client wrote, and a way to write back. */
export interface ServerEnd {
	/** Frames the client sent, parsed, oldest first. */
	readonly received: { id: number; type: string; data: unknown }[];
	/** Called with each frame the client sends (after it is recorded). */
	onframe: ((frame: { id: number; type: string; data: unknown }) => void) | null;
	/** Writes one frame to the client (JSON-encoded unless already text). */
	send(frame: unknown): void;
	/** Closes the socket with `code`, as the server or the network would. */
	close(code: number): void;
	/** The close code once closed (by either end). */
	readonly closedWith: number | null;
}

/**
 * An in-memory socket pair, like tldraw's `TestSocketPair`: frames cross as text in a microtask (never
 * synchronously, as on a real socket), and a close reaches the client once, with the code, also a
 * microtask later.
 */
export function createSocketPair(): { client: ClientSocket; server: ServerEnd } {
	let closedWith: number | null = null;
	const client: ClientSocket = {
		send(text) {
			if (closedWith !== null) {
				throw new Error('socket is closed');
			}
			const frame = JSON.parse(text) as { id: number; type: string; data: unknown };
			queueMicrotask(() => {
				if (closedWith === null) {
					server.received.push(frame);
					server.onframe?.(frame);
				}
			});
		},
		close(code) {
			closeWith(code);
		},
		onmessage: null,
		onclose: null,
	};
	function closeWith(code: number): void {
		if (closedWith !== null) {
			return;
		}
		closedWith = code;
		// The server echoes the client's code, as `ws` does; either way the client hears it once.
		queueMicrotask(() => client.onclose?.(code));
	}
	const server: ServerEnd = {
		received: [],
		onframe: null,
		send(frame) {
			const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
			queueMicrotask(() => {
				if (closedWith === null) {
					client.onmessage?.(text);
				}
			});
		},
		close: closeWith,
		get closedWith() {
			return closedWith;
		},
	};

	return { client, server };
}
