import type {
	ConsumerInfo,
	LinkItem,
	NotificationType,
	PipedProducer,
	ReplyData,
	Snapshot,
	UserSummary,
} from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { Clock } from '../Clock.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import { ForbiddenError, RoomEndedError, UnavailableError } from '../errors.js';
import type {
	JoinResult,
	MediaRequests,
	PeerChannel,
	RoomRequestType,
	SessionRoom,
} from '../room/contracts.js';
import { Peer } from '../room/Peer.js';
import {
	type ConsumableProducer,
	ROOM_MEDIA_CODECS,
	RoomMedia,
	type RoomMediaOptions,
	udpListenInfo,
} from '../room/RoomMedia.js';
import { dispatchMedia, isMediaRequest } from '../signalling/dispatch.js';
import type { WorkerLoad } from '../WorkerLoad.js';
import type { NodeBus } from './NodeBus.js';

/** Dependencies and settings of {@link RelayRoom.open}. */
export interface RelayRoomOptions {
	/** Room id. */
	roomId: string;
	/** The node serving the room (its authority and its stage). */
	originNode: string;
	/** Worker for this node's pipe Router. */
	worker: types.Worker;
	/** The node's live workers (edge routers for listeners). */
	workers: () => readonly types.Worker[];
	/** Consumers per worker across the node. */
	load: WorkerLoad;
	/** A worker is full at this many consumers. */
	maxConsumersPerWorker: number;
	/** Transport settings. */
	media: RoomMediaOptions;
	/** Accept plain RTP transports (load generator). */
	allowPlainTransports: boolean;
	/** Requests and messages to the origin. */
	nodeBus: NodeBus;
	/** Time. */
	clock: Clock;
	/** Logger. */
	log: Logger;
}

/** Why a relay room closed. */
export type RelayCloseReason = 'idle' | 'origin-closed' | 'origin-lost' | 'shutdown' | 'workerdied';

/** Events of a {@link RelayRoom}. */
export type RelayRoomEvents = {
	/** The relay closed (its router, transports and connections with it). */
	close: [RelayCloseReason];
};

interface Connection {
	readonly connId: string;
	readonly peer: Peer;
	// Sent to the origin to speak: their seat is held there while they reconnect.
	moved: boolean;
}

let lastConnId = 0;

/**
 * A room served on this node for its origin node, when the origin is full: listeners connect here; the
 * stage's audio arrives through one PipeTransport from the origin (SRTP) and fans out across this node's
 * workers like on the origin. The origin keeps the room's authority: every room-level request is
 * answered by its Room, whose notifications to these listeners come back over the bus. A relay serves
 * listeners only — someone who comes on stage is sent to the origin (`session:closing moving`), where
 * the API places stage people.
 */
export class RelayRoom extends EnhancedEventEmitter<RelayRoomEvents> implements SessionRoom, MediaRequests {
	/** Room id. */
	readonly id: string;
	/** The room's origin node. */
	readonly originNode: string;
	readonly #options: RelayRoomOptions;
	readonly #log: Logger;
	readonly #router: types.Router;
	readonly #pipe: types.PipeTransport;
	readonly #media: RoomMedia;
	readonly #producers = new Map<string, ConsumableProducer>();
	readonly #connections = new Map<string, Connection>();
	readonly #byPeer = new WeakMap<Peer, Connection>();
	// Producer changes are applied one after the other (each awaits mediasoup).
	#chain: Promise<void> = Promise.resolve();
	#closed = false;

	private constructor(options: RelayRoomOptions, router: types.Router, pipe: types.PipeTransport) {
		const log = options.log.child({ roomId: options.roomId, originNode: options.originNode });
		super(log);
		this.id = options.roomId;
		this.originNode = options.originNode;
		this.#options = options;
		this.#log = log;
		this.#router = router;
		this.#pipe = pipe;
		this.#media = new RoomMedia({
			origin: router,
			workers: options.workers,
			load: options.load,
			maxConsumersPerWorker: options.maxConsumersPerWorker,
			media: options.media,
			allowPlainTransports: options.allowPlainTransports,
			producerCount: () => this.#producers.size,
			onEdgeLost: (wasOn) => {
				for (const { peer } of this.#connections.values()) {
					if (peer.recvTransport && wasOn(peer.recvTransport)) {
						peer.moveAway();
					}
				}
			},
			log,
		});
		router.once('workerclose', () => this.close('workerdied'));
	}

	/**
	 * Opens the relay: a Router and the relay end of a PipeTransport here, then `link:open` on the origin,
	 * which connects its end and pipes the stage. (Link messages that arrive meanwhile are applied by the
	 * caller once this resolves; producers are deduplicated by id.)
	 */
	static async open(options: RelayRoomOptions): Promise<RelayRoom> {
		const router = await options.worker.createRouter({
			mediaCodecs: ROOM_MEDIA_CODECS,
			appData: { worker: options.worker },
		});
		let room: RelayRoom;
		try {
			const pipe = await router.createPipeTransport({
				listenInfo: udpListenInfo(options.media),
				enableSrtp: true,
			});
			room = new RelayRoom(options, router, pipe);
		} catch (error) {
			router.close();
			throw error;
		}
		try {
			const reply = await options.nodeBus.request(options.originNode, 'link:open', {
				roomId: options.roomId,
				pipe: {
					ip: room.#pipe.tuple.localAddress,
					port: room.#pipe.tuple.localPort,
					...(room.#pipe.srtpParameters ? { srtpParameters: { ...room.#pipe.srtpParameters } } : {}),
				},
			});
			await room.#pipe.connect({
				ip: reply.pipe.ip,
				port: reply.pipe.port,
				...(reply.pipe.srtpParameters
					? { srtpParameters: reply.pipe.srtpParameters as types.SrtpParameters }
					: {}),
			});
			for (const producer of reply.producers) {
				await room.#addProducer(producer);
			}
			room.#log.info({ producers: reply.producers.length }, 'open() | relaying the room');
		} catch (error) {
			// The origin refused or did not answer: nothing to tell it.
			room.close('origin-lost', false);
			throw error;
		}

		return room;
	}

	/** Whether the relay is closed. */
	get closed(): boolean {
		return this.#closed;
	}

	/** Connections served here. */
	get peerCount(): number {
		return this.#connections.size;
	}

	/** Consumers across connections. */
	get consumerCount(): number {
		let n = 0;
		for (const { peer } of this.#connections.values()) {
			n += peer.consumers.size;
		}

		return n;
	}

	/** Where each connection's receive transport lives (diagnostics, tests). */
	receivePlacement(): { userId: string; workerPid: number | undefined; edge: boolean }[] {
		return [...this.#connections.values()].flatMap(({ peer }) => {
			const placement = this.#media.placement(peer);

			return placement ? [{ userId: peer.id, ...placement }] : [];
		});
	}

	// ─── Session ─────────────────────────────────────────────────────────────

	/**
	 * Joins the room on the origin for a connection here; someone who is on stage is sent to the origin.
	 * The origin reads the user from `ticket` (checked there again); `user` is what this node verified.
	 */
	async join(
		user: UserSummary,
		_speakerGuest: boolean,
		channel: PeerChannel,
		ticket: string
	): Promise<JoinResult> {
		this.#assertOpen();
		const connId = (++lastConnId).toString(36);
		const peer = new Peer(user, channel, this.#options.clock.now());
		const connection: Connection = { connId, peer, moved: false };
		// Registered first: the origin's notifications to this connection may overtake its reply.
		this.#connections.set(connId, connection);
		this.#byPeer.set(peer, connection);
		let snapshot: Omit<Snapshot, 'seq'>;
		try {
			const reply = await this.#options.nodeBus.request(this.originNode, 'peer:join', {
				roomId: this.id,
				connId,
				ticket,
			});
			snapshot = reply.snapshot as Omit<Snapshot, 'seq'>;
		} catch (error) {
			this.#connections.delete(connId);
			this.#closeIfIdle();
			throw error;
		}
		if (snapshot.self.onStage) {
			// Host, co-host, speaker guest or a held seat: they speak from the origin.
			this.#move(connection);
		}

		return { peer, routerRtpCapabilities: this.#media.rtpCapabilities, snapshot };
	}

	/** A connection ended: it leaves the room on the origin. */
	leave(peer: Peer, how: 'left' | 'dropped' = 'left'): void {
		peer.close(1000, 'left');
		const connection = this.#byPeer.get(peer);
		if (!connection || this.#connections.get(connection.connId) !== connection) {
			return;
		}
		this.#connections.delete(connection.connId);
		if (!this.#closed) {
			this.#options.nodeBus.send(this.originNode, 'peer:leave', {
				roomId: this.id,
				connId: connection.connId,
				how: connection.moved ? 'dropped' : how,
			});
		}
		this.#closeIfIdle();
	}

	/** Media requests are served here; every other request is answered by the origin's Room. */
	async request(peer: Peer, type: RoomRequestType, data: unknown): Promise<ReplyData<RoomRequestType>> {
		this.#assertOpen();
		if (isMediaRequest(type)) {
			return dispatchMedia(this, peer, type, data);
		}
		const connection = this.#byPeer.get(peer);
		if (!connection) {
			throw new UnavailableError('not connected to this room');
		}
		const reply = await this.#options.nodeBus.request(this.originNode, 'peer:request', {
			roomId: this.id,
			connId: connection.connId,
			type,
			data,
		});

		return reply.data as ReplyData<RoomRequestType>;
	}

	// ─── Media ───────────────────────────────────────────────────────────────

	/** A receive transport (listeners only send from the origin). */
	async createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<ReplyData<'transport:create'>> {
		this.#assertOpen();
		this.#assertReceiving(direction);

		return this.#media.createTransport(peer, 'recv', () => !this.#closed);
	}

	/** Load generator only: a plain receiving transport. */
	async createPlainTransport(
		peer: Peer,
		direction: 'send' | 'recv',
		remote: { ip: string; port: number } | undefined,
		srtp: { cryptoSuite: string; keyBase64: string } | undefined
	): Promise<ReplyData<'plain:create'>> {
		this.#assertOpen();
		this.#assertReceiving(direction);

		return this.#media.createPlainTransport(peer, 'recv', remote, srtp, () => !this.#closed);
	}

	/** Completes a transport's DTLS. */
	connectTransport(peer: Peer, transportId: string, dtlsParameters: Record<string, unknown>): Promise<void> {
		return this.#media.connectTransport(peer, transportId, dtlsParameters);
	}

	/** New ICE parameters for a transport. */
	restartIce(peer: Peer, transportId: string): Promise<Record<string, unknown>> {
		return this.#media.restartIce(peer, transportId);
	}

	/** Starts receiving the stage (a paused consumer per piped producer). */
	consumeStart(peer: Peer, rtpCapabilities: Record<string, unknown>, batch: boolean): Promise<ConsumerInfo[]> {
		this.#assertOpen();

		return this.#media.consumeStart(peer, rtpCapabilities, [...this.#producers.values()], batch);
	}

	/** The client is ready for a consumer's first packet. */
	resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
		return this.#media.resumeConsumer(peer, consumerId);
	}

	/** The client is ready for a batch of consumers. */
	resumeConsumers(peer: Peer, consumerIds: readonly string[]): Promise<void> {
		return this.#media.resumeConsumers(peer, consumerIds);
	}

	/** Nobody sends from a relay. */
	async produce(): Promise<string> {
		throw new ForbiddenError('only stage members can send audio');
	}

	// ─── Link (origin → relay) ───────────────────────────────────────────────

	/** What the origin's Room told connections here, in order. */
	applyBatch(items: readonly LinkItem[]): void {
		for (const item of items) {
			if (item.kind === 'close') {
				this.#connections.get(item.connId)?.peer.close(item.code, item.reason);
				continue;
			}
			for (const connId of item.to) {
				const connection = this.#connections.get(connId);
				if (!connection) {
					continue;
				}
				connection.peer.notify(item.type as NotificationType, item.data as never);
				if (item.type === 'self:state' && (item.data as { onStage?: unknown }).onStage === true) {
					// Invited and accepted, made a co-host…: speaking happens on the origin.
					this.#move(connection);
				}
			}
		}
	}

	/** A new stage producer, or a change of one. */
	applyProducer(producer: PipedProducer): void {
		this.#then(() => this.#addProducer(producer));
	}

	/** A stage producer closed, paused or resumed on the origin. */
	applyProducerState(producerId: string, state: 'closed' | 'paused' | 'resumed'): void {
		this.#then(async () => {
			const entry = this.#producers.get(producerId);
			if (!entry) {
				return;
			}
			if (state === 'closed') {
				this.#producers.delete(producerId);
				entry.producer.close();
			} else if (state === 'paused') {
				await entry.producer.pause();
			} else {
				await entry.producer.resume();
			}
		});
	}

	/**
	 * Closes the relay: connections still here are told to reconnect (through the API), the Router closes
	 * with every transport. `tellOrigin` sends `link:close` (not when the origin closed or is gone).
	 */
	close(
		reason: RelayCloseReason,
		tellOrigin = reason === 'idle' || reason === 'shutdown' || reason === 'workerdied'
	): void {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		for (const { peer } of this.#connections.values()) {
			peer.moveAway(reason === 'shutdown' ? 'shutdown' : 'moving');
		}
		this.#connections.clear();
		if (tellOrigin) {
			this.#options.nodeBus.send(this.originNode, 'link:close', { roomId: this.id });
		}
		this.#router.close();
		this.#log.info({ reason }, 'close() | relay closed');
		this.safeEmit('close', reason);
	}

	async #addProducer(piped: PipedProducer): Promise<void> {
		if (this.#closed || this.#producers.has(piped.id)) {
			return;
		}
		const producer = await this.#pipe.produce({
			id: piped.id,
			kind: 'audio',
			rtpParameters: piped.rtpParameters as unknown as types.RtpParameters,
			paused: piped.paused,
			appData: { userId: piped.userId },
		});
		const entry: ConsumableProducer = { producer, userId: piped.userId };
		this.#producers.set(piped.id, entry);
		producer.observer.once('close', () => this.#producers.delete(piped.id));
		for (const { peer } of this.#connections.values()) {
			void this.#media.consume(peer, entry);
		}
	}

	#then(step: () => Promise<void>): void {
		this.#chain = this.#chain
			.then(step)
			.catch((error: unknown) => this.#log.warn({ err: error }, 'link step failed'));
	}

	#move(connection: Connection): void {
		connection.moved = true;
		const { peer } = connection;
		peer.moveAway();
	}

	#closeIfIdle(): void {
		if (this.#connections.size === 0 && !this.#closed) {
			this.close('idle');
		}
	}

	#assertOpen(): void {
		if (this.#closed) {
			throw new RoomEndedError('the room is closed');
		}
	}

	#assertReceiving(direction: 'send' | 'recv'): void {
		if (direction === 'send') {
			throw new ForbiddenError('only stage members can send audio');
		}
	}
}
