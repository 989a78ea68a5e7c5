import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { WorkerLoad } from './WorkerLoad.js';

/** Default of {@link RouterSetOptions.maxConsumersPerWorker} (mediasoup's "~500 consumers per worker"). */
export const DEFAULT_MAX_CONSUMERS_PER_WORKER = 500;

/** Dependencies and settings of a {@link RouterSet}. */
export interface RouterSetOptions {
	/** The room's origin Router: stage producers and the AudioLevelObserver live here. */
	origin: types.Router;
	/** The node's live workers (edges are created on them on demand). */
	workers: () => readonly types.Worker[];
	/** Consumers per worker across the node. */
	load: WorkerLoad;
	/** A worker counts as full at this many consumers. */
	maxConsumersPerWorker: number;
	/** Router media codecs for edge routers (the origin's). */
	mediaCodecs: types.RouterRtpCodecCapability[];
	/** Logger. */
	log: Logger;
	/** Called when an edge router closes because its worker died (its listeners must reconnect). */
	onEdgeLost?: (router: types.Router) => void;
}

/**
 * The Routers of one room on one node. A Router lives on one worker (one core), so a big room is split:
 * stage producers are on the origin Router, listeners' receive transports go to the origin's worker
 * until it is full, then to edge Routers on other workers, created on demand and fed with
 * `pipeToRouter()` (one pipe consumer per stage producer per edge, whatever the number of listeners
 * there). Pipe producers keep the origin producer's id and follow its pause/resume/close, so consumers
 * on an edge behave like consumers on the origin. Closing the origin closes the edges.
 */
export class RouterSet {
	readonly #options: RouterSetOptions;
	readonly #edges = new Map<types.Worker, Promise<types.Router>>();
	readonly #piped = new Map<string, Promise<void>>();
	#closed = false;

	/** Wraps `options.origin`. */
	constructor(options: RouterSetOptions) {
		this.#options = options;
		options.origin.observer.once('close', () => this.close());
	}

	/** The origin Router. */
	get origin(): types.Router {
		return this.#options.origin;
	}

	/** Edge routers created so far (diagnostics and tests). */
	async edges(): Promise<types.Router[]> {
		return Promise.all([...this.#edges.values()]);
	}

	/**
	 * The Router a new listener's receive transport goes on, reserving `expectedConsumers` on its worker:
	 * the origin's worker while it has room, else the least-loaded other worker with room, else the
	 * least-loaded worker overall (the node is full; the API places further listeners elsewhere).
	 */
	async routerForListener(): Promise<types.Router> {
		const { origin, load, maxConsumersPerWorker } = this.#options;
		const originWorker = this.#workerOf(origin);
		if (!originWorker || load.consumers(originWorker) < maxConsumersPerWorker) {
			return origin;
		}
		const workers = [...this.#options.workers()].filter((w) => !w.closed);
		workers.sort((a, b) => load.consumers(a) - load.consumers(b));
		const withRoom = workers.find((w) => w !== originWorker && load.consumers(w) < maxConsumersPerWorker);
		const chosen = withRoom ?? workers[0];
		if (!chosen || chosen === originWorker) {
			return origin;
		}

		return this.#edge(chosen);
	}

	/** The worker a router of this set runs on. */
	workerOf(router: types.Router): types.Worker | undefined {
		return this.#workerOf(router);
	}

	/** Makes `producerId` (on the origin) available on `router`: a no-op on the origin, else piped once. */
	async ensureProducer(router: types.Router, producerId: string): Promise<void> {
		if (router === this.#options.origin) {
			return;
		}
		const key = `${router.id}:${producerId}`;
		let piping = this.#piped.get(key);
		if (!piping) {
			piping = this.#options.origin
				.pipeToRouter({ producerId, router, keepId: true })
				.then(({ pipeProducer }) => {
					pipeProducer?.observer.once('close', () => this.#piped.delete(key));
				});
			this.#piped.set(key, piping);
			piping.catch(() => this.#piped.delete(key));
		}
		await piping;
	}

	/** Closes the edge routers (the origin is the room's to close). Idempotent. */
	close(): void {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		for (const edge of this.#edges.values()) {
			edge.then((router) => router.close()).catch(() => undefined);
		}
		this.#edges.clear();
		this.#piped.clear();
	}

	#workerOf(router: types.Router): types.Worker | undefined {
		return (router.appData as { worker?: types.Worker }).worker;
	}

	#edge(worker: types.Worker): Promise<types.Router> {
		const existing = this.#edges.get(worker);
		if (existing) {
			return existing;
		}
		const creating = worker
			.createRouter({ mediaCodecs: this.#options.mediaCodecs, appData: { worker, edge: true } })
			.then((router) => {
				if (this.#closed) {
					router.close();
					throw new Error('room closed while creating an edge router');
				}
				router.once('workerclose', () => {
					this.#edges.delete(worker);
					this.#options.onEdgeLost?.(router);
				});
				router.observer.once('close', () => {
					if (this.#edges.get(worker) === creating) {
						this.#edges.delete(worker);
					}
				});
				this.#options.log.info(
					{ workerPid: worker.pid, routerId: router.id },
					'edge() | edge router created'
				);

				return router;
			});
		this.#edges.set(worker, creating);
		creating.catch(() => {
			if (this.#edges.get(worker) === creating) {
				this.#edges.delete(worker);
			}
		});

		return creating;
	}
}
