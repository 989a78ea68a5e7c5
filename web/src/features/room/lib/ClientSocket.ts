/**
 * The socket a room connection talks through: the browser's WebSocket ({@link openWebSocket}), or an
 * in-memory one in tests. The connection sets the two handlers once the socket is open.
 */
export interface ClientSocket {
	/** Writes one text frame; throws when the socket is not open. */
	send(text: string): void;
	/** Closes with `code` unless the socket is already closing or closed. */
	close(code: number): void;
	/** Each frame received, as the transport delivered it (text for the protocol). */
	onmessage: ((data: unknown) => void) | null;
	/** The close code, once, however the socket closed. */
	onclose: ((code: number) => void) | null;
}

/** Opens a socket to a signalling URL and resolves once it is open. */
export type OpenSocket = (url: string) => Promise<ClientSocket>;

/** How long opening the signalling socket may take. */
export const CONNECT_TIMEOUT_MS = 10_000;

function signallingUrl(url: string): string {
	// The API may answer with a path or an http(s) URL; WebSocket needs an absolute ws(s) URL.
	const absolute = new URL(url, window.location.href);
	if (absolute.protocol === 'http:' || absolute.protocol === 'https:') {
		absolute.protocol = absolute.protocol === 'https:' ? 'wss:' : 'ws:';
	}

	return absolute.toString();
}

function wrap(ws: WebSocket): ClientSocket {
	const socket: ClientSocket = {
		send: (text) => ws.send(text),
		close(code) {
			if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
				ws.close(code);
			}
		},
		onmessage: null,
		onclose: null,
	};
	ws.onmessage = (event) => socket.onmessage?.(event.data);
	ws.onclose = (event) => socket.onclose?.(event.code);

	return socket;
}

/** {@link OpenSocket} over the browser's WebSocket, resolving the API's URL against the page. */
export function openWebSocket(url: string): Promise<ClientSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(signallingUrl(url));
		const timer = setTimeout(() => {
			ws.close();
			reject(new Error('signalling connection timed out'));
		}, CONNECT_TIMEOUT_MS);
		ws.onopen = () => {
			clearTimeout(timer);
			resolve(wrap(ws));
		};
		ws.onclose = () => {
			clearTimeout(timer);
			reject(new Error('signalling connection failed'));
		};
	});
}
