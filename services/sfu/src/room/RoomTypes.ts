import type { Bus, Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { ApiClient } from '../ApiClient.js';
import type { Clock } from '../Clock.js';
import type { Recordings } from '../recording/Recordings.js';
import type { WorkerLoad } from '../WorkerLoad.js';
import type { Peer } from './Peer.js';
import type { RoomMediaOptions } from './RoomMedia.js';
import type { RoomStateStore } from './RoomStateStore.js';
import type { WordFilter } from './wordFilter.js';

/** How long a stage member who dropped (no `session:leave`) keeps their seat and mute state. */
// Long enough for a slow phone to reload the page and rejoin (REJOIN_GRACE_MS changes it).
export const DEFAULT_REJOIN_GRACE_MS = 30_000;

/** How long the presence count lives in the bus without a refresh (a dead node's count expires). */
export const PRESENCE_TTL_MS = 10_000;

/** Dependencies and settings of `Room.create`. */
export interface RoomOptions {
	/** Room id (the API's). */
	roomId: string;
	/** Worker to put the room's router on. */
	worker: types.Worker;
	/** Internal REST client of the API. */
	api: ApiClient;
	/** Live state persistence. */
	store: RoomStateStore;
	/** Bus, for the presence count. */
	bus: Bus;
	/** Time and timers. */
	clock: Clock;
	/** Logger (child per room is made here). */
	log: Logger;
	/** Transport settings. */
	media: RoomMediaOptions;
	/** How long a disconnected host keeps the room before a co-host takes over or it ends. */
	hostGraceMs: number;
	/** How long a dropped stage member keeps their seat; default {@link DEFAULT_REJOIN_GRACE_MS}. */
	rejoinGraceMs?: number;
	/** Minimum interval between `stage:speaking` notifications. */
	speakingIntervalMs?: number;
	/** Minimum interval between `listeners:count` notifications and presence writes. */
	countIntervalMs?: number;
	/** The node's live workers, for edge routers (fan-out across cores); default only `worker`. */
	workers?: () => readonly types.Worker[];
	/** Consumers per worker across the node (shared by its rooms); default one for this room. */
	load?: WorkerLoad;
	/** A worker is full at this many consumers; listeners then go to an edge router. Default 500. */
	maxConsumersPerWorker?: number;
	/** Accept `plain:create` (load generator); never in production. Default false. */
	allowPlainTransports?: boolean;
	/** The deployment's chat word filter; default none. */
	chatFilter?: WordFilter;
	/** Fetches a pinned link's page title; default the safe fetch of pageTitle.ts (tests pass their own). */
	fetchPageTitle?: (url: string) => Promise<string | null>;
	/** The node's recordings; without them `recording:start` is refused. */
	recordings?: Recordings;
}

/** Why a room closed. */
export type RoomCloseReason = 'ended' | 'idle' | 'shutdown' | 'workerdied';

/** Events of a `Room`. */
export type RoomEvents = {
	/** The room closed (its router, transports and peers with it). */
	close: [RoomCloseReason];
	/** A connection joined (possibly replacing an earlier one of the same user). */
	peerjoined: [Peer];
	/** A connection left. */
	peerleft: [Peer];
	/** A stage member's microphone started (with the user whose voice it carries). */
	producer: [types.Producer, string];
};

/** Media state of one peer (see `Room.diagnostics`). */
export interface PeerDiagnostics {
	/** The user. */
	userId: string;
	/** Their transports. */
	transports: {
		direction: 'send' | 'recv';
		iceState: string;
		dtlsState: string;
		protocol: 'udp' | 'tcp' | undefined;
	}[];
	/** Their microphone, if any. */
	producer: { paused: boolean } | null;
	/** How many streams they receive. */
	consumers: number;
}

/** The media state of `peer`, for diagnosing "I can't hear X" reports. */
export function peerDiagnostics(peer: Peer): PeerDiagnostics {
	return {
		userId: peer.id,
		transports: (['send', 'recv'] as const).flatMap((direction) => {
			const t = direction === 'send' ? peer.sendTransport : peer.recvTransport;

			return t?.type === 'webrtc'
				? [
						{
							direction,
							iceState: t.iceState,
							dtlsState: t.dtlsState,
							protocol: t.iceSelectedTuple?.protocol,
						},
					]
				: [];
		}),
		producer: peer.producer ? { paused: peer.producer.paused } : null,
		consumers: peer.consumers.size,
	};
}
