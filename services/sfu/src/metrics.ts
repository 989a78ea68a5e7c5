import type { types } from 'mediasoup';
import { Gauge, Registry } from 'prom-client';

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
	/** Consumers (created or reserved) on a worker, for fan-out placement. */
	workerConsumers?(worker: types.Worker): number;
	/** Live stage producers of every room (a handful per room: cheap to ask for stats when scraped). */
	stageProducers?(): types.Producer[];
	/** Rooms this node relays for their origin node, and peers of this node's rooms served by relays. */
	relays?(): { rooms: number; relayedPeers: number };
	/** Bus messages dropped because their cluster signature failed (forged or stale). */
	busRejected?(): number;
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
		[
			'majlis_sfu_relay_rooms',
			"Rooms this node relays for their origin node (listeners beyond the origin's capacity)",
			() => source.relays?.().rooms ?? 0,
		],
		[
			'majlis_sfu_relayed_peers',
			"Peers of this node's rooms connected through relay nodes",
			() => source.relays?.().relayedPeers ?? 0,
		],
		[
			'majlis_sfu_bus_rejected_messages',
			'Bus messages dropped since start because their cluster signature failed (forged or stale)',
			() => source.busRejected?.() ?? 0,
		],
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

	new Gauge({
		name: 'majlis_sfu_worker_consumers',
		help: 'Consumers (created or reserved) on each mediasoup worker; listeners move to other workers past the limit',
		labelNames: ['pid'],
		registers: [registry],
		collect() {
			this.reset();
			for (const worker of source.workers()) {
				this.set({ pid: String(worker.pid) }, source.workerConsumers?.(worker) ?? 0);
			}
		},
	});
	// Incoming stage audio, read from the producers' stats when scraped. What is forwarded is these
	// packets times the consumers of each producer; asking thousands of consumers for stats would cost
	// the worker more than it tells.
	const producerGauges = {
		packets: new Gauge({
			name: 'majlis_sfu_producer_packets',
			help: 'RTP packets received on all stage producers (sum of their packet counts)',
			registers: [registry],
		}),
		bitrate: new Gauge({
			name: 'majlis_sfu_producer_bitrate_bps',
			help: 'Incoming stage audio bitrate (sum over producers)',
			registers: [registry],
		}),
		lost: new Gauge({
			name: 'majlis_sfu_producer_packets_lost',
			help: 'Packets lost between speakers and the SFU (sum over producers)',
			registers: [registry],
		}),
		forwarded: new Gauge({
			name: 'majlis_sfu_forwarded_packets_estimate',
			help: 'Packets forwarded to listeners: each producer packet count times its consumers (estimate)',
			registers: [registry],
		}),
	};
	new Gauge({
		name: 'majlis_sfu_producers_paused',
		help: 'Paused (muted) stage producers: nothing is forwarded for them',
		registers: [registry],
		async collect() {
			const producers = source.stageProducers?.() ?? [];
			let packets = 0;
			let bitrate = 0;
			let lost = 0;
			let paused = 0;
			await Promise.all(
				producers.map(async (producer) => {
					paused += producer.paused ? 1 : 0;
					try {
						for (const stat of await producer.getStats()) {
							packets += stat.packetCount;
							bitrate += stat.bitrate;
							lost += stat.packetsLost;
						}
					} catch {
						// Closed meanwhile.
					}
				})
			);
			producerGauges.packets.set(packets);
			producerGauges.bitrate.set(bitrate);
			producerGauges.lost.set(lost);
			producerGauges.forwarded.set(
				(packets * Math.max(0, source.consumers())) / Math.max(1, producers.length)
			);
			this.set(paused);
		},
	});

	return registry;
}
