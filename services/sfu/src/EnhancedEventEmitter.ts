import { EventEmitter } from 'node:events';
import type { Logger } from '@majlis/server-kit';

/** A map from event name to the tuple of its arguments. */
export type EventMap = Record<string, unknown[]>;

/**
 * An EventEmitter typed by an event map (mediasoup's enhancedEvents). `safeEmit` catches listener
 * errors so one bad listener cannot take down a room; they are logged instead.
 */
export class EnhancedEventEmitter<E extends EventMap> {
	readonly #emitter = new EventEmitter();
	readonly #log: Logger | undefined;

	/** `log` receives listener errors caught by {@link safeEmit}. */
	constructor(log?: Logger) {
		this.#log = log;
		this.#emitter.setMaxListeners(Number.POSITIVE_INFINITY);
	}

	/** Adds a listener. */
	on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
		this.#emitter.on(event, listener as (...args: unknown[]) => void);

		return this;
	}

	/** Adds a listener that runs once. */
	once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
		this.#emitter.once(event, listener as (...args: unknown[]) => void);

		return this;
	}

	/** Removes a listener. */
	off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
		this.#emitter.off(event, listener as (...args: unknown[]) => void);

		return this;
	}

	/** Emits `event`; a listener that throws is logged and the others still run. */
	safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
		// rawListeners: `once` wrappers remove themselves when called.
		const listeners = this.#emitter.rawListeners(event) as ((...a: E[K]) => void)[];
		for (const listener of listeners) {
			try {
				listener(...args);
			} catch (error) {
				this.#log?.error({ err: error, event }, 'safeEmit() | event listener threw');
			}
		}

		return listeners.length > 0;
	}
}
