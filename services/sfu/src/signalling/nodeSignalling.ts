import type { Logger, TokenService } from '@majlis/server-kit';
import type { Clock } from '../Clock.js';
import type { SfuOptions } from '../SfuTypes.js';
import { DEFAULT_MAX_SOCKETS_PER_IP, SignallingServer } from './SignallingServer.js';
import type { SessionDeps } from './SocketSession.js';
import { ticketLedger } from './ticketLedger.js';

/** How often a node pings each socket; a socket that missed a pong is dropped. */
export const PING_INTERVAL_MS = 30_000;

/** Default of `SfuOptions.joinTimeoutMs`: how long a new socket has to send `session:join`. */
export const DEFAULT_JOIN_TIMEOUT_MS = 10_000;

/** What {@link createNodeSignalling} takes from the node besides its options. */
export interface NodeSignallingDeps {
	/** Verifies join tickets. */
	tokens: TokenService;
	/** Opens one of the node's rooms, or a relay of another node's. */
	openRoom: SessionDeps['openRoom'];
	/** Time and timers. */
	clock: Clock;
	/** The node's logger. */
	log: Logger;
}

/**
 * The node's WebSocket signalling as its options set it up: the join timeout, the per-socket limits,
 * tickets claimed once across the cluster (on the shared bus) and the cap of sockets per client address.
 */
export function createNodeSignalling(options: SfuOptions, deps: NodeSignallingDeps): SignallingServer {
	const { bus, nodeId } = options;

	return new SignallingServer(
		{
			tokens: deps.tokens,
			nodeId,
			openRoom: deps.openRoom,
			clock: deps.clock,
			log: deps.log.child({ module: 'SocketSession' }),
			joinTimeoutMs: options.joinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS,
			pingIntervalMs: PING_INTERVAL_MS,
			limits: options.socketLimits,
			claimTicket: ticketLedger(bus, nodeId),
		},
		{
			maxSocketsPerIp: options.maxSocketsPerIp ?? DEFAULT_MAX_SOCKETS_PER_IP,
			trustProxy: options.trustProxy ?? false,
			log: deps.log.child({ module: 'SignallingServer' }),
		}
	);
}
