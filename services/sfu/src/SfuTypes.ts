import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Bus, Logger, TokenKeys, TrustProxy } from '@majlis/server-kit';
import type { Clock } from './Clock.js';
import type { RelayRoom } from './cluster/RelayRoom.js';
import type { Recordings } from './recording/Recordings.js';
import type { Room } from './room/Room.js';
import type { SocketLimits } from './signalling/socketLimits.js';

/** Settings and dependencies of an SFU node (the same in embedded and scaled modes). */
export interface SfuOptions {
	/** Working directory of recordings being captured; default `majlis-recordings` in the OS temp dir. */
	recordingDir?: string;
	/** Live state, pub/sub and the node registry (Redis, or the MemoryBus in embedded mode). */
	bus: Bus;
	/**
	 * HS256 secret shared with the API (join tickets, service tokens), or separated keys: the ticket
	 * public key and the service secret (a node then cannot sign tickets or user tokens).
	 */
	jwtSecret: string | Omit<TokenKeys, 'ticketPrivateKey'>;
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
	/** How long a stage member whose connection dropped (a reload, a crash) keeps their seat; default 30 s. */
	rejoinGraceMs?: number;
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
	/** Open sockets one client address may hold; default `DEFAULT_MAX_SOCKETS_PER_IP`, 0 for no cap. */
	maxSocketsPerIp?: number;
	/** Which X-Forwarded-For hops to believe for that address (TRUST_PROXY); default none. */
	trustProxy?: TrustProxy;
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
	/** Words the chat refuses (compared with Arabic folded as people write it); default none. */
	chatBlockedWords?: readonly string[];
	/** Fetches a pinned link's page title; default the safe https fetch (room/pageTitle.ts). */
	fetchPageTitle?: (url: string) => Promise<string | null>;
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
	/** Signalling sockets open from one client address (the per-address cap counts them). */
	socketsOf(address: string): number;
	/** The open room with this id (diagnostics and tests). */
	room(roomId: string): Room | undefined;
	/** The open relay of a room served by another node (diagnostics and tests). */
	relay(roomId: string): RelayRoom | undefined;
	/** The node's recordings (tests wait on their uploads). */
	readonly recordings: Recordings;
	/**
	 * Stops: leaves the registry, closes rooms (clients are told to reconnect; live state stays in the
	 * bus for the next node) and workers. Idempotent.
	 */
	close(): Promise<void>;
}

/** The counters of a node serving `rooms` (its own) and `relays` (of other nodes' rooms). */
export function nodeStats(rooms: Iterable<Room>, relays: Iterable<RelayRoom>): SfuStats {
	const s: SfuStats = { rooms: 0, peers: 0, producers: 0, consumers: 0 };
	for (const room of rooms) {
		s.rooms += 1;
		s.peers += room.peerCount;
		s.producers += room.producerCount;
		s.consumers += room.consumerCount;
	}
	for (const relay of relays) {
		s.rooms += 1;
		s.peers += relay.peerCount;
		s.consumers += relay.consumerCount;
	}

	return s;
}
