import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import type { Logger } from '@majlis/server-kit';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import { InvalidStateError } from './errors.js';

/** Options of {@link WorkerPool.create}. */
export interface WorkerPoolOptions {
	/** Number of workers; default one per core. */
	numWorkers?: number;
	/** mediasoup-worker binary (workerBin.ts); undefined: mediasoup's default. */
	workerBin?: string;
	/** Logger for worker lifecycle. */
	log: Logger;
}

/** Events of a {@link WorkerPool}. */
export type WorkerPoolEvents = {
	/** A worker died (its routers are closed); a replacement is being started. */
	workerdied: [types.Worker, Error];
};

/**
 * mediasoup workers, one per core by default. Rooms take the least-loaded one (fewest routers). A worker
 * that dies is logged and replaced; its rooms are closed by mediasoup (router `workerclose`) and their
 * clients reconnect through the API.
 */
export class WorkerPool extends EnhancedEventEmitter<WorkerPoolEvents> {
	readonly #workers: types.Worker[] = [];
	readonly #routers = new Map<types.Worker, number>();
	readonly #options: WorkerPoolOptions;
	readonly #log: Logger;
	#closed = false;
	// Replacements being started: a room opened meanwhile waits for one rather than failing.
	readonly #spawning = new Set<Promise<types.Worker>>();

	private constructor(options: WorkerPoolOptions) {
		super(options.log);
		this.#options = options;
		this.#log = options.log;
	}

	/** Starts the workers. */
	static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
		const pool = new WorkerPool(options);
		const count = Math.max(1, options.numWorkers ?? availableParallelism());
		try {
			await Promise.all(Array.from({ length: count }, () => pool.#spawn()));
		} catch (error) {
			await pool.close();
			throw error;
		}

		return pool;
	}

	/** The live workers. */
	get workers(): readonly types.Worker[] {
		return this.#workers;
	}

	/** Whether {@link close} was called. */
	get closed(): boolean {
		return this.#closed;
	}

	/** The worker with the fewest routers. */
	pick(): types.Worker {
		if (this.#closed) {
			throw new InvalidStateError('worker pool closed');
		}
		let best: types.Worker | undefined;
		for (const worker of this.#workers) {
			if (!best || (this.#routers.get(worker) ?? 0) < (this.#routers.get(best) ?? 0)) {
				best = worker;
			}
		}
		if (!best) {
			throw new InvalidStateError('no mediasoup worker available');
		}

		return best;
	}

	/**
	 * The worker with the fewest routers; while every worker is dead and replacements are starting, waits
	 * for one (a rejoin right after a crash then lands on the new worker instead of failing).
	 */
	async pickReady(): Promise<types.Worker> {
		if (this.#workers.length === 0 && this.#spawning.size > 0) {
			await Promise.any([...this.#spawning]).catch(() => undefined);
		}

		return this.pick();
	}

	/** Closes every worker and waits for their processes to exit; idempotent. */
	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		const workers = this.#workers.splice(0);
		await Promise.all(
			workers.map(async (worker) => {
				const exited = worker.subprocessClosed ? Promise.resolve() : once(worker, 'subprocessclose');
				worker.close();
				await exited;
			})
		);
	}

	// Starts a replacement; retries with a growing delay if the binary cannot start (e.g. out of memory).
	#replace(attempt: number): void {
		const spawning = this.#spawn();
		this.#spawning.add(spawning);
		spawning
			.then((worker) => this.#log.warn({ pid: worker.pid }, 'worker died | replacement ready'))
			.catch((error: unknown) => {
				this.#log.error({ err: error, attempt }, 'worker died | replacement failed, retrying');
				if (!this.#closed) {
					setTimeout(() => this.#replace(attempt + 1), Math.min(10_000, 250 * 2 ** attempt)).unref();
				}
			})
			.finally(() => this.#spawning.delete(spawning));
	}

	async #spawn(): Promise<types.Worker> {
		const worker = await mediasoup.createWorker({
			workerBin: this.#options.workerBin,
			logLevel: 'warn',
		});
		if (this.#closed) {
			worker.close();

			return worker;
		}
		this.#workers.push(worker);
		this.#routers.set(worker, 0);
		worker.observer.on('newrouter', (router: types.Router) => {
			this.#routers.set(worker, (this.#routers.get(worker) ?? 0) + 1);
			router.observer.once('close', () => {
				this.#routers.set(worker, Math.max(0, (this.#routers.get(worker) ?? 1) - 1));
			});
		});
		worker.on('died', (error) => {
			this.#log.error({ err: error, pid: worker.pid }, 'worker died | replacing it');
			const index = this.#workers.indexOf(worker);
			if (index !== -1) {
				this.#workers.splice(index, 1);
			}
			this.#routers.delete(worker);
			this.safeEmit('workerdied', worker, error);
			if (!this.#closed) {
				this.#replace(0);
			}
		});
		this.#log.debug({ pid: worker.pid }, 'worker started');

		return worker;
	}
}
