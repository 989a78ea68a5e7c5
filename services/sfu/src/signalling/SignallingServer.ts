import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { MAX_CLIENT_FRAME_BYTES } from '@majlis/protocol';
import { WebSocketServer } from 'ws';
import { type SessionDeps, SocketSession } from './SocketSession.js';

/** The WebSocket endpoint of a node: each upgraded socket becomes a {@link SocketSession}. */
export class SignallingServer {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
	readonly #deps: SessionDeps;

	/** Serves sessions with `deps`. */
	constructor(deps: SessionDeps) {
		this.#deps = deps;
	}

	/** Takes over an HTTP upgrade request (the caller routes `/ws` here). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.#wss.handleUpgrade(req, socket, head, (ws) => {
			new SocketSession(ws, this.#deps);
		});
	}

	/** Closes the sockets still open (1001 Going Away) and the server. */
	async close(): Promise<void> {
		for (const ws of this.#wss.clients) {
			ws.close(1001, 'shutdown');
		}
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}
}
