import { roomLiveKey } from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import { type LiveStateData, liveStateDataChecker } from './LiveState.js';

// Live state outlives a crashed node long enough for another to take the room over, but not forever.
const STATE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Write-through store of rooms' live state in the bus (Redis, or the MemoryBus in embedded mode), so an
 * SFU restart or another node can take a room over. Writes of one room are chained so they land in the
 * order they were made; a failed write is logged and the next one carries the full state again.
 */
export class RoomStateStore {
	readonly #bus: Bus;
	readonly #log: Logger;
	readonly #chains = new Map<string, Promise<void>>();

	/** Creates a store over `bus`. */
	constructor(bus: Bus, log: Logger) {
		this.#bus = bus;
		this.#log = log;
	}

	/** Reads a room's saved state; null when there is none or it is unreadable (then it is ignored). */
	async load(roomId: string): Promise<LiveStateData | null> {
		const raw = await this.#bus.get(roomLiveKey(roomId));
		if (raw === null) {
			return null;
		}
		let value: unknown;
		try {
			value = JSON.parse(raw);
		} catch {
			value = undefined;
		}
		if (!liveStateDataChecker.check(value)) {
			this.#log.warn(
				{ roomId, problem: liveStateDataChecker.explain(value) },
				'load() | ignoring unreadable live state'
			);

			return null;
		}

		return value;
	}

	/** Saves a room's state after the writes queued before it. */
	save(roomId: string, data: LiveStateData): Promise<void> {
		const json = JSON.stringify(data);

		return this.#enqueue(roomId, () => this.#bus.set(roomLiveKey(roomId), json, STATE_TTL_MS));
	}

	/** Deletes a room's state (it ended) after the writes queued before it. */
	delete(roomId: string): Promise<void> {
		return this.#enqueue(roomId, () => this.#bus.del(roomLiveKey(roomId)));
	}

	/** Resolves when every queued write has landed. */
	async flush(): Promise<void> {
		await Promise.all([...this.#chains.values()]);
	}

	#enqueue(roomId: string, write: () => Promise<void>): Promise<void> {
		const previous = this.#chains.get(roomId) ?? Promise.resolve();
		const next = previous
			.then(write)
			.catch((error: unknown) => this.#log.error({ err: error, roomId }, 'save() | bus write failed'));
		this.#chains.set(roomId, next);
		void next.then(() => {
			if (this.#chains.get(roomId) === next) {
				this.#chains.delete(roomId);
			}
		});

		return next;
	}
}
