import { roomNodeKey } from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';

/**
 * This node's claim in the bus (`roomNodeKey`) on the rooms it serves: the API reads it to send people
 * to the room's node. A room opened here is claimed unless the API placed it already; a room that ended,
 * or that this node gives up, is released so the API stops pointing at this node.
 */
export class RoomPlacement {
	readonly #bus: Bus;
	readonly #nodeId: string;
	readonly #log: Logger;
	readonly #releasing = new Set<Promise<void>>();

	/** Claims and releases rooms for `nodeId`. */
	constructor(bus: Bus, nodeId: string, log: Logger) {
		this.#bus = bus;
		this.#nodeId = nodeId;
		this.#log = log;
	}

	/** Claims the room when no node has it (e.g. a takeover); a bus failure is logged. */
	async claim(roomId: string): Promise<void> {
		await this.#bus
			.setIfAbsent(roomNodeKey(roomId), this.#nodeId)
			.catch((error: unknown) =>
				this.#log.warn({ err: error, roomId }, 'createRoom() | could not claim the room')
			);
	}

	/** Releases the room if this node still holds it, in the background (see {@link settled}). */
	release(roomId: string): void {
		const release = this.#release(roomId);
		this.#releasing.add(release);
		void release.finally(() => this.#releasing.delete(release));
	}

	/** Waits for the releases in flight (a node closing). */
	async settled(): Promise<void> {
		await Promise.allSettled([...this.#releasing]);
	}

	async #release(roomId: string): Promise<void> {
		try {
			if ((await this.#bus.get(roomNodeKey(roomId))) === this.#nodeId) {
				await this.#bus.del(roomNodeKey(roomId));
			}
		} catch (error) {
			this.#log.warn({ err: error, roomId }, 'releaseRoomNode() | bus failed');
		}
	}
}
