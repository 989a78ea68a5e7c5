import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import {
	type Checker,
	compile,
	MAX_CLIENT_FRAME_BYTES,
	ROOM_EVENTS_CHANNEL,
	type RoomEvent,
	RoomEvents,
	roomNodeKey,
	SFU_HEARTBEAT_MS,
	SFU_NODES_KEY,
	type SfuNode,
} from '@majlis/protocol';
import { type Bus, createLogger, createTokenService, type Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import { WebSocketServer } from 'ws';
import { ApiClient } from './ApiClient.js';
import { Cluster } from './cluster/Cluster.js';
import type { RelayRoom } from './cluster/RelayRoom.js';
import { type Clock, systemClock, type Timer } from './Clock.js';
import { createMetrics } from './metrics.js';
import { Room } from './Room.js';
import type { RoomMediaOptions } from './RoomMedia.js';
import { DEFAULT_MAX_CONSUMERS_PER_WORKER } from './RouterSet.js';
import { RoomStateStore } from './RoomStateStore.js';
import { SocketSession } from './signalling/SocketSession.js';
import type { SocketLimits } from './signalling/socketLimits.js';
import { WorkerLoad } from './WorkerLoad.js';
import { WorkerPool } from './WorkerPool.js';
import { resolveWorkerBin } from './workerBin.js';

/** Settings and dependencies of an SFU node (see the brief; the same in embedded and scaled modes). */
export interface SfuOptions {
	/** Live state, pub/sub and the node registry (Redis, or the MemoryBus in embedded mode). */
	bus: Bus;
	/** HS256 secret shared with the API (join tickets, service tokens). */
	jwtSecret: string;
	/** Base URL of the API, e.g. http://127.0.0.1:8080. */
	apiUrl: string;
	/** This node's id in the registry; tickets name it. */
	nodeId: string;
	/** WS URL clients use to reach this node, e.g. ws://localhost:8080/ws. */
	publicUrl: string;
	/** mediasoup workers; default one per core. */
	numWorkers?: number;
	/** Address media transports bind to; default 0.0.0.0. */
	listenIp?: string;
	/** Address put in ICE candidates; default the first non-internal IPv4 when listening on all. */
	announcedAddress?: string;
	/** Lowest RTC port; default 40000. */
	rtcMinPort?: number;
	/** Highest RTC port; default 49999. */
	rtcMaxPort?: number;
	/** How long a room waits for a disconnected host; default 60 s. */
	hostGraceMs?: number;
	/** Logger; default a pino logger named `sfu`. */
	logger?: Logger;
	/** Consumers this node accepts before the API places listeners elsewhere; default 500 per worker. */
	capacity?: number;
	/** Time and timers (tests); default the system clock. */
	clock?: Clock;
	/** How long a new socket has to send `session:join`; default 10 s. */
	joinTimeoutMs?: number;
	/** Minimum interval between `stage:speaking` notifications; default 300 ms. */
	speakingIntervalMs?: number;
	/** Minimum interval between `listeners:count` notifications; default 1 s. */
	countIntervalMs?: number;
	/** Per-socket message rate and repeat limits; default `DEFAULT_SOCKET_LIMITS` (signalling/socketLimits.ts). */
	socketLimits?: SocketLimits;
	/**
	 * Consumers a worker takes before a room's listeners go to edge routers on other workers
	 * (`pipeToRouter`); default 500 (mediasoup's guidance).
	 */
	maxConsumersPerWorker?: number;
	/**
	 * Accept `plain:create` (plain RTP/SRTP transports for the load generator). It lets a client make the
	 * SFU send RTP to any address: never enable it in production. Default false.
	 */
	allowPlainTransports?: boolean;
}

/** Counters of what a node serves. */
export interface SfuStats {
	/** Open rooms. */
	rooms: number;
	/** Connected peers. */
	peers: number;
	/** Producers. */
	producers: number;
	/** Consumers. */
	consumers: number;
}

/** A running SFU node. */
export interface Sfu {
	/** This node's id. */
	readonly nodeId: string;
	/** Takes over an HTTP upgrade request (the caller routes `/ws` here). */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	/** Prometheus text exposition of the node's metrics. */
	metrics(): Promise<{ contentType: string; body: string }>;
	/** Current counters. */
	stats(): SfuStats;
	/** The open room with this id (diagnostics and tests). */
	room(roomId: string): Room | undefined;
	/** The open relay of a room served by another node (diagnostics and tests). */
	relay(roomId: string): RelayRoom | undefined;
	/**
	 * Stops: leaves the registry, closes rooms (clients are told to reconnect; live state stays in the
	 * bus for the next node) and workers. Idempotent.
	 */
	close(): Promise<void>;
}

const DEFAULT_HOST_GRACE_MS = 60_000;
const PING_INTERVAL_MS = 30_000;

function defaultAnnouncedAddress(): string {
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family === 'IPv4' && !address.internal) {
				return address.address;
			}
		}
	}

	return '127.0.0.1';
}

/** Builds the transports' listen infos: UDP preferred, TCP as fallback, same address and port range. */
export function listenInfosFor(
	options: Pick<SfuOptions, 'listenIp' | 'announcedAddress' | 'rtcMinPort' | 'rtcMaxPort'>
): types.TransportListenInfo[] {
	const ip = options.listenIp ?? '0.0.0.0';
	const wildcard = ip === '0.0.0.0' || ip === '::';
	const announcedAddress = options.announcedAddress ?? (wildcard ? defaultAnnouncedAddress() : undefined);
	const portRange = { min: options.rtcMinPort ?? 40000, max: options.rtcMaxPort ?? 49999 };
	if (portRange.min > portRange.max) {
		throw new TypeError(`RTC port range is empty (${portRange.min}–${portRange.max})`);
	}

	return (['udp', 'tcp'] as const).map((protocol) => ({
		protocol,
		ip,
		...(announcedAddress ? { announcedAddress } : {}),
		portRange,
	}));
}

const eventCheckers = new Map<string, Checker<unknown>>(
	Object.entries(RoomEvents).map(([type, schema]) => [type, compile(schema)])
);

// Bus messages are validated like client frames: another process wrote them.
function parseRoomEvent(message: string): RoomEvent | string {
	let value: unknown;
	try {
		value = JSON.parse(message);
	} catch {
		return 'not JSON';
	}
	const { type, data } = (typeof value === 'object' && value !== null ? value : {}) as {
		type?: unknown;
		data?: unknown;
	};
	const checker = typeof type === 'string' ? eventCheckers.get(type) : undefined;
	if (!checker) {
		return `unknown type ${String(type)}`;
	}
	const problem = checker.explain(data);

	return problem ? `${String(type)}${problem}` : ({ type, data } as RoomEvent);
}

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
	const store = new RoomStateStore(bus, log.child({ module: 'RoomStateStore' }));
	const media: RoomMediaOptions = { listenInfos: listenInfosFor(options) };
	const hostGraceMs = options.hostGraceMs ?? DEFAULT_HOST_GRACE_MS;
	const pool = await WorkerPool.create({
		numWorkers: options.numWorkers,
		workerBin: resolveWorkerBin(),
		log: log.child({ module: 'WorkerPool' }),
	});
	const maxConsumersPerWorker = options.maxConsumersPerWorker ?? DEFAULT_MAX_CONSUMERS_PER_WORKER;
	const capacity = options.capacity ?? maxConsumersPerWorker * pool.workers.length;
	const workerLoad = new WorkerLoad();
	const rooms = new Map<string, Promise<Room>>();
	const openRooms = new Map<string, Room>();
	const pendingReleases = new Set<Promise<void>>();
	let closed = false;

	function stats(): SfuStats {
		const s: SfuStats = { rooms: openRooms.size, peers: 0, producers: 0, consumers: 0 };
		for (const room of openRooms.values()) {
			s.peers += room.peerCount;
			s.producers += room.producerCount;
			s.consumers += room.consumerCount;
		}
		for (const relay of cluster.relays()) {
			s.rooms += 1;
			s.peers += relay.peerCount;
			s.consumers += relay.consumerCount;
		}

		return s;
	}

	async function createRoom(roomId: string): Promise<Room> {
		const room = await Room.create({
			roomId,
			worker: await pool.pickReady(),
			api,
			store,
			bus,
			clock,
			log: log.child({ module: 'Room' }),
			media,
			hostGraceMs,
			speakingIntervalMs: options.speakingIntervalMs,
			countIntervalMs: options.countIntervalMs,
			workers: () => pool.workers,
			load: workerLoad,
			maxConsumersPerWorker,
			allowPlainTransports: options.allowPlainTransports ?? false,
		});
		openRooms.set(roomId, room);
		room.on('close', (reason) => {
			if (openRooms.get(roomId) === room) {
				openRooms.delete(roomId);
				rooms.delete(roomId);
			}
			// An ended room, or one this node gives up, must not keep pointing the API at this node.
			if (reason === 'ended' || reason === 'shutdown') {
				const release = releaseRoomNode(roomId);
				pendingReleases.add(release);
				void release.finally(() => pendingReleases.delete(release));
			}
		});
		// The API normally placed the room here already; claim it if it did not (e.g. a takeover).
		await bus
			.setIfAbsent(roomNodeKey(roomId), nodeId)
			.catch((error: unknown) => log.warn({ err: error, roomId }, 'createRoom() | could not claim the room'));
		if (closed) {
			room.close('shutdown');
		}

		return room;
	}

	async function releaseRoomNode(roomId: string): Promise<void> {
		try {
			if ((await bus.get(roomNodeKey(roomId))) === nodeId) {
				await bus.del(roomNodeKey(roomId));
			}
		} catch (error) {
			log.warn({ err: error, roomId }, 'releaseRoomNode() | bus failed');
		}
	}

	function openRoom(roomId: string): Promise<Room> {
		const existing = rooms.get(roomId);
		if (existing) {
			return existing;
		}
		const opening = createRoom(roomId);
		rooms.set(roomId, opening);
		opening.catch(() => {
			if (rooms.get(roomId) === opening) {
				rooms.delete(roomId);
			}
		});

		return opening;
	}

	async function onRoomEvent(message: string): Promise<void> {
		const event = parseRoomEvent(message);
		if (typeof event === 'string') {
			log.warn({ problem: event }, 'onRoomEvent() | ignoring invalid room event');

			return;
		}
		const opening = rooms.get(event.data.roomId);
		if (!opening) {
			// Not served here; the API's record is what the next node will read.
			return;
		}
		const room = await opening.catch(() => undefined);
		if (!room || room.closed) {
			return;
		}
		switch (event.type) {
			case 'room.updated': {
				room.applyInfo(event.data.room);
				break;
			}
			case 'room.role': {
				room.applyRole(event.data.userId, event.data.role);
				break;
			}
			case 'room.guest': {
				room.applyGuest(event.data.userId, event.data.kind);
				break;
			}
			case 'room.ended': {
				room.applyEnded();
				break;
			}
			default: {
				event satisfies never;
			}
		}
	}

	// Rooms larger than a node: relays of other nodes' rooms here, relay links to this node's rooms.
	const cluster: Cluster = await Cluster.create({
		bus,
		nodeId,
		openRooms,
		openRoom,
		async relayOptions(roomId, originNode, nodeBus) {
			return {
				roomId,
				originNode,
				worker: await pool.pickReady(),
				workers: () => pool.workers,
				load: workerLoad,
				maxConsumersPerWorker,
				media,
				allowPlainTransports: options.allowPlainTransports ?? false,
				nodeBus,
				clock,
				log: log.child({ module: 'RelayRoom' }),
			};
		},
		now: () => clock.now(),
		log: log.child({ module: 'Cluster' }),
	});

	const unsubscribe = await bus.subscribe(ROOM_EVENTS_CHANNEL, (message) => {
		onRoomEvent(message).catch((error: unknown) => log.error({ err: error }, 'onRoomEvent() | failed'));
	});

	async function heartbeat(): Promise<void> {
		const s = stats();
		const node: SfuNode = {
			id: nodeId,
			url: options.publicUrl,
			rooms: s.rooms,
			peers: s.peers,
			consumers: s.consumers,
			capacity,
			seenAt: clock.now(),
		};
		await bus.hset(SFU_NODES_KEY, { [nodeId]: JSON.stringify(node) });
		for (const room of openRooms.values()) {
			room.refreshPresence();
		}
		await cluster.checkNodes();
	}
	const beat = () => {
		heartbeat().catch((error: unknown) => log.warn({ err: error }, 'heartbeat() | bus write failed'));
	};
	await heartbeat();
	const heartbeatTimer: Timer = clock.setInterval(beat, SFU_HEARTBEAT_MS);

	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
	const sessionLog = log.child({ module: 'SocketSession' });
	const registry = createMetrics({
		rooms: () => stats().rooms,
		peers: () => stats().peers,
		producers: () => stats().producers,
		consumers: () => stats().consumers,
		workers: () => pool.workers,
		workerConsumers: (worker) => workerLoad.consumers(worker),
		stageProducers: () => [...openRooms.values()].flatMap((room) => room.stageProducers()),
		relays: () => ({ rooms: cluster.relays().length, relayedPeers: cluster.relayedPeers() }),
	});

	log.info(
		{ nodeId, workers: pool.workers.length, listenInfos: media.listenInfos, hostGraceMs },
		'createSfu() | ready'
	);

	return {
		nodeId,
		handleUpgrade(req, socket, head) {
			if (closed) {
				socket.destroy();

				return;
			}
			wss.handleUpgrade(req, socket, head, (ws) => {
				new SocketSession(ws, {
					tokens,
					nodeId,
					openRoom: (roomId, origin) => (origin ? cluster.openRelay(roomId, origin) : openRoom(roomId)),
					clock,
					log: sessionLog,
					joinTimeoutMs: options.joinTimeoutMs ?? 10_000,
					pingIntervalMs: PING_INTERVAL_MS,
					limits: options.socketLimits,
				});
			});
		},
		async metrics() {
			return { contentType: registry.contentType, body: await registry.metrics() };
		},
		stats,
		room(roomId) {
			return openRooms.get(roomId);
		},
		relay(roomId) {
			return cluster.relay(roomId);
		},
		async close() {
			if (closed) {
				return;
			}
			closed = true;
			heartbeatTimer.cancel();
			await unsubscribe().catch(() => undefined);
			await cluster.close().catch((error: unknown) => log.warn({ err: error }, 'close() | cluster'));
			const opening = [...rooms.values()];
			await Promise.all(opening.map((p) => p.then((room) => room.close('shutdown')).catch(() => undefined)));
			for (const ws of wss.clients) {
				ws.close(1001, 'shutdown');
			}
			await new Promise<void>((resolve) => wss.close(() => resolve()));
			await Promise.allSettled([bus.hdel(SFU_NODES_KEY, nodeId), ...pendingReleases]);
			await store.flush();
			await pool.close();
			log.info({ nodeId }, 'close() | closed');
		},
	};
}
