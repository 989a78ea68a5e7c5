import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createTokenService, SignedBus } from '@majlis/server-kit';
import { ApiClient } from './ApiClient.js';
import { ApiEventRouter } from './ApiEventRouter.js';
import { systemClock } from './Clock.js';
import { Cluster } from './cluster/Cluster.js';
import { listenInfosFor } from './listenInfos.js';
import { createMetrics } from './metrics.js';
import { NodeHeartbeat } from './NodeHeartbeat.js';
import { OpenRegistry } from './OpenRegistry.js';
import { RoomPlacement } from './RoomPlacement.js';
import { DEFAULT_MAX_CONSUMERS_PER_WORKER } from './RouterSet.js';
import { RecordingApi } from './recording/RecordingApi.js';
import { Recordings } from './recording/Recordings.js';
import type { Room } from './room/Room.js';
import type { RoomMediaOptions } from './room/RoomMedia.js';
import { RoomStateStore } from './room/RoomStateStore.js';
import { roomFactory } from './roomFactory.js';
import { nodeStats, type Sfu, type SfuOptions } from './SfuTypes.js';
import { originSession } from './signalling/dispatch.js';
import { createNodeSignalling } from './signalling/nodeSignalling.js';
import { UserEventRouter } from './UserEventRouter.js';
import { WorkerLoad } from './WorkerLoad.js';
import { WorkerPool } from './WorkerPool.js';
import { resolveWorkerBin } from './workerBin.js';

export type { Sfu, SfuOptions, SfuStats } from './SfuTypes.js';

const DEFAULT_HOST_GRACE_MS = 60_000;

/**
 * Starts an SFU node: the worker pool, the WebSocket signalling (attached by the caller through
 * `handleUpgrade`), the subscription to the API's room events and the heartbeat in the node registry.
 */
export async function createSfu(options: SfuOptions): Promise<Sfu> {
	const log = options.logger ?? createLogger('sfu');
	const clock = options.clock ?? systemClock;
	const { bus, nodeId } = options;
	const tokens = createTokenService(options.jwtSecret);
	const api = new ApiClient(options.apiUrl, tokens);
	const recordings = new Recordings({
		api: new RecordingApi(options.apiUrl, tokens),
		dir: options.recordingDir ?? join(tmpdir(), 'majlis-recordings'),
		nodeId,
		now: () => clock.now(),
		log: log.child({ module: 'Recordings' }),
	});
	const store = new RoomStateStore(bus, log.child({ module: 'RoomStateStore' }));
	const media: RoomMediaOptions = { listenInfos: listenInfosFor(options) };
	const hostGraceMs = options.hostGraceMs ?? DEFAULT_HOST_GRACE_MS;
	const pool = await WorkerPool.create({
		numWorkers: options.numWorkers,
		workerBin: resolveWorkerBin(),
		log: log.child({ module: 'WorkerPool' }),
	});
	const maxConsumersPerWorker = options.maxConsumersPerWorker ?? DEFAULT_MAX_CONSUMERS_PER_WORKER;
	const allowPlainTransports = options.allowPlainTransports ?? false;
	const capacity = options.capacity ?? maxConsumersPerWorker * pool.workers.length;
	const workerLoad = new WorkerLoad();
	// What every room and relay of this node shares: the workers and their load, transport settings, time.
	const shared = {
		workers: () => pool.workers,
		load: workerLoad,
		maxConsumersPerWorker,
		media,
		allowPlainTransports,
		clock,
	};
	const rooms = new OpenRegistry<Room>();
	const placement = new RoomPlacement(bus, nodeId, log);
	let closed = false;

	const stats = () => nodeStats(rooms.values(), cluster.relays());

	const createRoom = roomFactory({
		options,
		pickWorker: () => pool.pickReady(),
		shared,
		api,
		store,
		hostGraceMs,
		recordings,
		placement,
		log,
	});

	const openRoom = (roomId: string) =>
		rooms.open(roomId, () => createRoom(roomId), {
			async afterOpen(room) {
				await placement.claim(roomId);
				if (closed) {
					room.close('shutdown');
				}
			},
		});

	// Rooms larger than a node: relays of other nodes' rooms here, relay links to this node's rooms.
	const cluster: Cluster = await Cluster.create({
		bus,
		nodeId,
		openRooms: rooms.openByKey,
		openRoom,
		async relayOptions(roomId, originNode, nodeBus) {
			const worker = await pool.pickReady();

			return { roomId, originNode, worker, ...shared, nodeBus, log: log.child({ module: 'RelayRoom' }) };
		},
		verifyTicket: (ticket) => tokens.verifyTicket(ticket),
		now: () => clock.now(),
		log: log.child({ module: 'Cluster' }),
	});
	const events = await ApiEventRouter.start({
		bus,
		room: (roomId) => rooms.entry(roomId),
		openRooms: () => rooms.values(),
		getRoom: (roomId) => api.getRoom(roomId),
		log,
	});
	const userEvents = await UserEventRouter.start({ bus, rooms: () => rooms.values(), log });
	const heartbeat = await NodeHeartbeat.start({
		bus,
		nodeId,
		node: () => ({ url: options.publicUrl, ...stats(), capacity }),
		async onBeat() {
			for (const room of rooms.values()) {
				room.refreshPresence();
			}
			await cluster.checkNodes();
		},
		clock,
		log,
	});

	const signalling = createNodeSignalling(options, {
		tokens,
		openRoom: (roomId, origin) =>
			origin ? cluster.openRelay(roomId, origin) : openRoom(roomId).then(originSession),
		clock,
		log,
	});
	const registry = createMetrics({
		rooms: () => stats().rooms,
		peers: () => stats().peers,
		producers: () => stats().producers,
		consumers: () => stats().consumers,
		workers: () => pool.workers,
		workerConsumers: (worker) => workerLoad.consumers(worker),
		stageProducers: () => [...rooms.values()].flatMap((room) => room.stageProducers()),
		relays: () => ({ rooms: cluster.relays().length, relayedPeers: cluster.relayedPeers() }),
		busRejected: () => (bus instanceof SignedBus ? bus.rejected : 0),
	});
	log.info(
		{ nodeId, workers: pool.workers.length, listenInfos: media.listenInfos, hostGraceMs },
		'createSfu() | ready'
	);
	// Recordings this node was capturing when it was lost: finished as partial from what is on disk.
	void recordings
		.recover()
		.catch((error: unknown) => log.warn({ err: error }, 'createSfu() | recordings not recovered'));

	return {
		nodeId,
		handleUpgrade(req, socket, head) {
			if (closed) {
				socket.destroy();

				return;
			}
			signalling.handleUpgrade(req, socket, head);
		},
		async metrics() {
			return { contentType: registry.contentType, body: await registry.metrics() };
		},
		stats,
		socketsOf: (address) => signalling.socketsOf(address),
		room: (roomId) => rooms.get(roomId),
		relay: (roomId) => cluster.relay(roomId),
		recordings,
		async close() {
			if (closed) {
				return;
			}
			closed = true;
			heartbeat.stop();
			await events.close();
			await userEvents.close();
			await cluster.close().catch((error: unknown) => log.warn({ err: error }, 'close() | cluster'));
			const opening = rooms.entries();
			await Promise.all(opening.map((p) => p.then((room) => room.close('shutdown')).catch(() => undefined)));
			await recordings.close();
			await signalling.close();
			await Promise.allSettled([heartbeat.leave(), placement.settled()]);
			await store.flush();
			await pool.close();
			log.info({ nodeId }, 'close() | closed');
		},
	};
}
