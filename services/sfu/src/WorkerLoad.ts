import type { types } from 'mediasoup';

type Reservation = { worker: types.Worker; reserved: number; consumers: number };

/**
 * Consumers per mediasoup worker across every room of the node, for placing listeners (one worker is one
 * core; mediasoup's guidance is ~500 consumers per worker). A listener's receive transport reserves the
 * consumers it is expected to get (one per stage producer) until they exist, so a burst of joins does not
 * all land on one worker before their consumers are created. Pipe consumers count on their worker too.
 */
export class WorkerLoad {
	readonly #load = new Map<types.Worker, number>();
	readonly #transports = new Map<string, Reservation>();

	/** Consumers (created or reserved) on `worker`. */
	consumers(worker: types.Worker): number {
		return this.#load.get(worker) ?? 0;
	}

	/**
	 * Follows a transport's consumers; `reserved` consumers count before they exist. Forgotten when the
	 * transport closes.
	 */
	track(worker: types.Worker, transport: types.Transport, reserved = 0): void {
		const entry: Reservation = { worker, reserved, consumers: 0 };
		this.#transports.set(transport.id, entry);
		this.#add(worker, reserved);
		transport.observer.on('newconsumer', (consumer: types.Consumer) => {
			this.#change(entry, 1);
			consumer.observer.once('close', () => this.#change(entry, -1));
		});
		transport.observer.once('close', () => {
			this.#transports.delete(transport.id);
			this.#add(worker, -Math.max(entry.consumers, entry.reserved));
			entry.consumers = 0;
			entry.reserved = 0;
		});
	}

	/** A worker went away: forget its figures. */
	forget(worker: types.Worker): void {
		this.#load.delete(worker);
	}

	#change(entry: Reservation, delta: number): void {
		const before = Math.max(entry.consumers, entry.reserved);
		entry.consumers = Math.max(0, entry.consumers + delta);
		this.#add(entry.worker, Math.max(entry.consumers, entry.reserved) - before);
	}

	#add(worker: types.Worker, delta: number): void {
		if (delta !== 0) {
			this.#load.set(worker, Math.max(0, (this.#load.get(worker) ?? 0) + delta));
		}
	}
}
