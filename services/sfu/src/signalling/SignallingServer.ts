import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { MAX_CLIENT_FRAME_BYTES } from '@majlis/protocol';
import { clientAddress, type Logger, type TrustProxy } from '@majlis/server-kit';
import { WebSocketServer } from 'ws';
import { type SessionDeps, SocketSession } from './SocketSession.js';

/** Who may open sockets: a cap per client address, read through the trusted proxies. */
export interface SocketAdmission {
	/** Open sockets one client address may hold; 0 turns the cap off. */
	maxSocketsPerIp: number;
	/** Which X-Forwarded-For hops to believe (TRUST_PROXY, as the API reads it). */
	trustProxy: TrustProxy;
	/** Logger (refusals, at most one line a second). */
	log: Logger;
}

/** Default of {@link SocketAdmission.maxSocketsPerIp}: a household or an office behind one NAT fits. */
export const DEFAULT_MAX_SOCKETS_PER_IP = 50;

/**
 * The WebSocket endpoint of a node: each upgraded socket becomes a {@link SocketSession}. Upgrades from
 * an address that already holds `maxSocketsPerIp` sockets are refused with HTTP 429 before the upgrade,
 * so a flood of connections costs this node neither a WebSocket nor a session.
 */
export class SignallingServer {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
	readonly #deps: SessionDeps;
	readonly #admission: SocketAdmission;
	readonly #open = new Map<string, number>();
	#loggedAt = Number.NEGATIVE_INFINITY;

	/** Serves sessions with `deps`. */
	constructor(deps: SessionDeps, admission: SocketAdmission) {
		this.#deps = deps;
		this.#admission = admission;
	}

	/** Sockets open per client address (for tests and diagnostics). */
	socketsOf(address: string): number {
		return this.#open.get(address) ?? 0;
	}

	/** Takes over an HTTP upgrade request (the caller routes `/ws` here). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		const address = clientAddress(req, this.#admission.trustProxy);
		const open = this.#open.get(address) ?? 0;
		const max = this.#admission.maxSocketsPerIp;
		if (max > 0 && open >= max) {
			this.#logRefusal(address);
			socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');

			return;
		}
		// Counted from now, not once upgraded: parallel upgrades from one address cannot overshoot.
		this.#open.set(address, open + 1);
		let released = false;
		const release = () => {
			if (released) {
				return;
			}
			released = true;
			const left = (this.#open.get(address) ?? 1) - 1;
			if (left > 0) {
				this.#open.set(address, left);
			} else {
				this.#open.delete(address);
			}
		};
		socket.once('close', release);
		this.#wss.handleUpgrade(req, socket, head, (ws) => {
			ws.once('close', release);
			new SocketSession(ws, this.#deps);
		});
	}

	#logRefusal(address: string): void {
		const now = Date.now();
		if (now - this.#loggedAt >= 1000) {
			this.#loggedAt = now;
			this.#admission.log.warn(
				{ address, max: this.#admission.maxSocketsPerIp },
				'handleUpgrade() | too many sockets from one address'
			);
		}
	}

	/** Closes the sockets still open (1001 Going Away) and the server. */
	async close(): Promise<void> {
		for (const ws of this.#wss.clients) {
			ws.close(1001, 'shutdown');
		}
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}
}
