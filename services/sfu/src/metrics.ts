import { Gauge, Registry } from 'prom-client';
import type { types } from 'mediasoup';

/** What the metrics read when scraped. */
export interface MetricsSource {
	/** Rooms open on this node. */
	rooms(): number;
	/** Connected peers. */
	peers(): number;
	/** Live producers (microphones). */
	producers(): number;
	/** Consumers. */
	consumers(): number;
	/** The mediasoup workers. */
	workers(): readonly types.Worker[];
}

/** A Prometheus registry for one SFU node; gauges are computed when scraped (GET /metrics). */
export function createMetrics(source: MetricsSource): Registry {
	const registry = new Registry();
	const simple: [string, string, () => number][] = [
		['majlis_sfu_rooms', 'Rooms open on this node', () => source.rooms()],
		['majlis_sfu_peers', 'Connected peers', () => source.peers()],
		['majlis_sfu_producers', 'Live producers (stage microphones)', () => source.producers()],
		['majlis_sfu_consumers', 'Consumers (audio streams sent to listeners)', () => source.consumers()],
		['majlis_sfu_workers', 'Live mediasoup workers', () => source.workers().length],
	];
	for (const [name, help, read] of simple) {
		new Gauge({
			name,
			help,
			registers: [registry],
			collect() {
				this.set(read());
			},
		});
	}
	new Gauge({
		name: 'majlis_sfu_worker_cpu_seconds',
		help: 'CPU time (user + system) used by each mediasoup worker',
		labelNames: ['pid'],
		registers: [registry],
		async collect() {
			this.reset();
			await Promise.all(
				source.workers().map(async (worker) => {
					try {
						const usage = await worker.getResourceUsage();
						this.set({ pid: String(worker.pid) }, (usage.ru_utime + usage.ru_stime) / 1000);
					} catch {
						// A worker that died between listing and asking has no usage to report.
					}
				})
			);
		},
	});

	return registry;
}
