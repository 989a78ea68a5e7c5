import type { ConsumerInfo, TransportInfo } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import { errors as mediasoupErrors, type types } from 'mediasoup';
import {
	BadRequestError,
	ConflictError,
	ForbiddenError,
	InvalidStateError,
	NotFoundError,
	UnsupportedError,
} from '../errors.js';
import type { Peer, PeerTransport } from './Peer.js';
import { RouterSet } from '../RouterSet.js';
import type { WorkerLoad } from '../WorkerLoad.js';

/** The only codec a room carries: the stage's voices. */
export const ROOM_MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
	{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
];

/** Network settings of the WebRTC transports of a room. */
export interface RoomMediaOptions {
	/** UDP first, TCP as fallback, with announced address and port range. */
	listenInfos: types.TransportListenInfo[];
	/** Starting estimate of the outgoing bitrate (bps). */
	initialAvailableOutgoingBitrate?: number;
}

/** Dependencies and settings of a {@link RoomMedia}. */
export interface RoomMediaDeps {
	/** The Router where the room's producers are (the room's origin Router, or a relay's pipe Router). */
	origin: types.Router;
	/** The node's live workers (edge routers for listeners). */
	workers: () => readonly types.Worker[];
	/** Consumers per worker across the node. */
	load: WorkerLoad;
	/** A worker is full at this many consumers. */
	maxConsumersPerWorker: number;
	/** Transport settings. */
	media: RoomMediaOptions;
	/** Accept plain RTP transports (load generator); never in production. */
	allowPlainTransports: boolean;
	/** How many producers a new listener will consume (reserved on its worker). */
	producerCount: () => number;
	/** An edge router's worker died: peers whose receive transport `wasOn` it must reconnect. */
	onEdgeLost: (wasOn: (transport: PeerTransport) => boolean) => void;
	/** Logger. */
	log: Logger;
}

/** A producer a listener may consume, with the user whose voice it carries. */
export interface ConsumableProducer {
	/** The producer (on the origin router of this media set). */
	readonly producer: types.Producer;
	/** Whose microphone. */
	readonly userId: string;
}

/** How {@link RoomMedia.produce} learns the room's view of a new microphone. */
export interface ProduceHooks {
	/** Whether the member is muted now (the producer starts paused, and follows it once created). */
	muted(): boolean;
	/** Whether the producer is still wanted once created (the room is open, the member on stage). */
	stillWanted(): boolean;
	/** The producer closed (its transport closed, or the member left the stage). */
	onClose(): void;
}

function isOpus(codec: unknown): boolean {
	return (
		typeof codec === 'object' &&
		codec !== null &&
		typeof (codec as { mimeType?: unknown }).mimeType === 'string' &&
		(codec as { mimeType: string }).mimeType.toLowerCase() === 'audio/opus'
	);
}

// mediasoup validates client-supplied parameters itself and throws TypeError (bad shape) or
// UnsupportedError (capability mismatch); those are the client's fault, anything else is ours.
/** Runs a mediasoup call on client-supplied parameters, turning its validation errors into wire errors. */
export async function clientParameters<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (error) {
		if (error instanceof mediasoupErrors.UnsupportedError) {
			throw new UnsupportedError(error.message);
		}
		if (error instanceof TypeError) {
			throw new BadRequestError(error.message);
		}
		throw error;
	}
}

/**
 * The media side of a room on this node that every kind of room shares: transports (WebRTC, or plain RTP
 * for the load generator) placed by load across the node's workers, and consumers (paused until the
 * client acknowledges `consumer:new`) fed from the origin Router through `pipeToRouter` when the
 * listener is on an edge router. The Room (origin node) and the RelayRoom (a relay node) both use it.
 */
export class RoomMedia {
	readonly #deps: RoomMediaDeps;
	readonly #routers: RouterSet;
	// The router each transport lives on (origin or an edge).
	readonly #routerOf = new WeakMap<PeerTransport, types.Router>();
	readonly #pending = new Set<string>();

	/** Creates the media set around `deps.origin`. */
	constructor(deps: RoomMediaDeps) {
		this.#deps = deps;
		this.#routers = new RouterSet({
			origin: deps.origin,
			workers: deps.workers,
			load: deps.load,
			maxConsumersPerWorker: deps.maxConsumersPerWorker,
			mediaCodecs: ROOM_MEDIA_CODECS,
			log: deps.log,
			onEdgeLost: (edge) => this.#onEdgeLost(edge),
		});
	}

	/** RTP capabilities for mediasoup-client's Device (the same on every router of the room). */
	get rtpCapabilities(): types.RtpCapabilities {
		return this.#deps.origin.rtpCapabilities;
	}

	/**
	 * A WebRTC transport for `peer`: receive transports go where there is room (the origin worker first,
	 * then edge routers), send transports on the origin. `stillWanted` is checked once it exists.
	 */
	async createTransport(
		peer: Peer,
		direction: 'send' | 'recv',
		stillWanted: () => boolean
	): Promise<TransportInfo> {
		const router = direction === 'send' ? this.#deps.origin : await this.#routers.routerForListener();
		const transport = await router.createWebRtcTransport({
			listenInfos: this.#deps.media.listenInfos,
			enableUdp: true,
			enableTcp: true,
			preferUdp: true,
			initialAvailableOutgoingBitrate: this.#deps.media.initialAvailableOutgoingBitrate ?? 600_000,
			appData: { userId: peer.id, direction },
		});
		this.#adopt(peer, direction, router, transport, stillWanted);

		return {
			id: transport.id,
			iceParameters: { ...transport.iceParameters },
			iceCandidates: transport.iceCandidates.map((c) => ({ ...c })),
			dtlsParameters: { ...transport.dtlsParameters },
		};
	}

	/**
	 * Load generator only (`allowPlainTransports`): a plain RTP transport, SRTP when `srtp` is given.
	 * `recv` sends to `remote`; `send` learns the sender's address from its first packet (comedia).
	 */
	async createPlainTransport(
		peer: Peer,
		direction: 'send' | 'recv',
		remote: { ip: string; port: number } | undefined,
		srtp: { cryptoSuite: string; keyBase64: string } | undefined,
		stillWanted: () => boolean
	): Promise<{
		transportId: string;
		local: { ip: string; port: number };
		srtpParameters?: { cryptoSuite: string; keyBase64: string };
	}> {
		if (!this.#deps.allowPlainTransports) {
			throw new ForbiddenError('plain transports are disabled on this server');
		}
		if (direction === 'recv' && !remote) {
			throw new BadRequestError('a receiving plain transport needs remote {ip, port}');
		}
		const router = direction === 'send' ? this.#deps.origin : await this.#routers.routerForListener();
		const transport = await clientParameters(() =>
			router.createPlainTransport({
				listenInfo: udpListenInfo(this.#deps.media),
				rtcpMux: true,
				comedia: direction === 'send',
				enableSrtp: Boolean(srtp),
				srtpCryptoSuite: srtp?.cryptoSuite as types.SrtpCryptoSuite | undefined,
				appData: { userId: peer.id, direction, plain: true },
			})
		);
		try {
			await clientParameters(() =>
				transport.connect({
					...(direction === 'recv' && remote ? { ip: remote.ip, port: remote.port } : {}),
					...(srtp ? { srtpParameters: srtp as types.SrtpParameters } : {}),
				})
			);
			this.#adopt(peer, direction, router, transport, stillWanted);
		} catch (error) {
			transport.close();
			throw error;
		}

		return {
			transportId: transport.id,
			local: { ip: transport.tuple.localAddress, port: transport.tuple.localPort },
			...(transport.srtpParameters ? { srtpParameters: { ...transport.srtpParameters } } : {}),
		};
	}

	// Records a new transport of `peer`, or closes it when the peer or the room changed meanwhile.
	#adopt(
		peer: Peer,
		direction: 'send' | 'recv',
		router: types.Router,
		transport: PeerTransport,
		stillWanted: () => boolean
	): void {
		if (peer.closed || !stillWanted()) {
			transport.close();
			throw new InvalidStateError('state changed while creating the transport');
		}
		const worker = this.#routers.workerOf(router);
		if (worker) {
			// A listener will get one consumer per stage producer: reserve them on the worker now.
			this.#deps.load.track(
				worker,
				transport,
				direction === 'recv' ? Math.max(1, this.#deps.producerCount()) : 0
			);
		}
		this.#routerOf.set(transport, router);
		peer.setTransport(direction, transport);
	}

	/** Completes a transport's DTLS with the client's parameters. */
	async connectTransport(
		peer: Peer,
		transportId: string,
		dtlsParameters: Record<string, unknown>
	): Promise<void> {
		const transport = peer.transport(transportId);
		if (!transport) {
			throw new NotFoundError('no such transport');
		}
		if (transport.type !== 'webrtc') {
			throw new InvalidStateError('plain transports are connected when created');
		}
		await clientParameters(() =>
			transport.connect({ dtlsParameters: dtlsParameters as unknown as types.DtlsParameters })
		).catch((error: unknown) => {
			// mediasoup refuses a second connect() with a plain Error: that is the client's mistake too.
			if (
				error instanceof Error &&
				!(error instanceof BadRequestError) &&
				/already called/.test(error.message)
			) {
				throw new InvalidStateError('transport already connected');
			}
			throw error;
		});
	}

	/** New ICE parameters for a transport. */
	async restartIce(peer: Peer, transportId: string): Promise<Record<string, unknown>> {
		const transport = peer.transport(transportId);
		if (!transport) {
			throw new NotFoundError('no such transport');
		}
		if (transport.type !== 'webrtc') {
			throw new InvalidStateError('plain transports have no ICE');
		}

		return { ...(await transport.restartIce()) };
	}

	/** An SRTP PipeTransport on the origin Router, for another node to receive the stage through. */
	createPipeTransport(): Promise<types.PipeTransport> {
		return this.#deps.origin.createPipeTransport({
			listenInfo: udpListenInfo(this.#deps.media),
			enableSrtp: true,
			appData: { pipe: true },
		});
	}

	/**
	 * Records the client's capabilities and consumes every producer in `producers`: announced with one
	 * `consumer:new` each, or with `batch` returned together (one renegotiation on the client).
	 */
	async consumeStart(
		peer: Peer,
		rtpCapabilities: Record<string, unknown>,
		producers: readonly ConsumableProducer[],
		batch = false
	): Promise<ConsumerInfo[]> {
		if (!peer.recvTransport) {
			throw new InvalidStateError('create a receive transport first');
		}
		if (!Array.isArray(rtpCapabilities.codecs)) {
			throw new BadRequestError('rtpCapabilities.codecs must be an array');
		}
		peer.setRtpCapabilities(rtpCapabilities as unknown as types.RtpCapabilities);
		const consumers = await Promise.all(producers.map((p) => this.consume(peer, p, !batch)));

		return consumers.filter((c) => c !== undefined);
	}

	/** The client is ready for a consumer's first packet: resume it. */
	async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
		const consumer = peer.consumers.get(consumerId);
		if (!consumer) {
			throw new NotFoundError('no such consumer');
		}
		await consumer.resume();
	}

	/** The client set up a batch of consumers: resume them all (none if any is unknown). */
	async resumeConsumers(peer: Peer, consumerIds: readonly string[]): Promise<void> {
		const consumers = consumerIds.map((id) => peer.consumers.get(id));
		if (consumers.some((c) => c === undefined)) {
			throw new NotFoundError('no such consumer');
		}
		await Promise.all(consumers.map((c) => c?.resume()));
	}

	/**
	 * A paused consumer of `producer` for `peer` (once ready to receive), announced with `consumer:new`
	 * unless `announce` is false (then only returned); on an edge router the producer arrives through a
	 * pipe (once per edge, kept in sync).
	 */
	async consume(
		peer: Peer,
		{ producer, userId }: ConsumableProducer,
		announce = true
	): Promise<ConsumerInfo | undefined> {
		const transport = peer.recvTransport;
		const rtpCapabilities = peer.rtpCapabilities;
		const key = `${peer.id}:${producer.id}`;
		if (
			!transport ||
			!rtpCapabilities ||
			producer.closed ||
			peer.consumes(producer.id) ||
			this.#pending.has(key)
		) {
			return;
		}
		const router = this.#routerOf.get(transport) ?? this.#deps.origin;
		this.#pending.add(key);
		try {
			await this.#routers.ensureProducer(router, producer.id);
			if (!router.canConsume({ producerId: producer.id, rtpCapabilities })) {
				this.#deps.log.warn({ userId: peer.id }, 'consume() | client cannot receive Opus');

				return;
			}
			// Paused until the client acknowledges `consumer:new`, so its first packet is never lost.
			const consumer = await transport.consume({
				producerId: producer.id,
				rtpCapabilities,
				paused: true,
				appData: { userId },
			});
			if (peer.closed || transport.closed) {
				consumer.close();

				return;
			}
			peer.addConsumer(consumer);
			consumer.on('producerclose', () => peer.notify('consumer:closed', { consumerId: consumer.id }));
			const info: ConsumerInfo = {
				consumerId: consumer.id,
				producerId: producer.id,
				userId,
				kind: 'audio',
				rtpParameters: { ...consumer.rtpParameters },
			};
			if (announce) {
				peer.notify('consumer:new', info);
			}

			return info;
		} catch (error) {
			// The producer or transport closed meanwhile: nothing to receive.
			this.#deps.log.debug({ err: error, userId: peer.id }, 'consume() | skipped');

			return undefined;
		} finally {
			this.#pending.delete(key);
		}
	}

	/**
	 * Starts the peer's microphone on its send transport: Opus audio only, one producer per peer, paused
	 * while the member is muted. The caller checked that the peer may send.
	 */
	async produce(
		peer: Peer,
		transportId: string,
		kind: string,
		rtpParameters: Record<string, unknown>,
		hooks: ProduceHooks
	): Promise<types.Producer> {
		const transport = peer.sendTransport;
		if (!transport || transport.id !== transportId) {
			throw new NotFoundError('no such send transport');
		}
		if (kind !== 'audio') {
			throw new UnsupportedError(`only audio can be sent, not ${kind}`);
		}
		const codecs = rtpParameters.codecs;
		if (!Array.isArray(codecs) || codecs.length === 0 || !codecs.every(isOpus)) {
			throw new UnsupportedError('only Opus audio can be sent');
		}
		if (peer.producer) {
			throw new ConflictError('already sending audio');
		}
		const producer = await clientParameters(() =>
			transport.produce({
				kind: 'audio',
				rtpParameters: rtpParameters as unknown as types.RtpParameters,
				paused: hooks.muted(),
				appData: { userId: peer.id },
			})
		);
		if (peer.closed || !hooks.stillWanted() || peer.producer) {
			producer.close();
			throw new InvalidStateError('state changed while creating the producer');
		}
		peer.setProducer(producer);
		producer.observer.once('close', () => hooks.onClose());
		// The member may have (un)muted while the producer was being created.
		await this.applyMute(peer, hooks.muted());

		return producer;
	}

	/** Makes the peer's producer match the mute state (paused on the server: nothing is forwarded). */
	async applyMute(peer: Peer | undefined, muted: boolean): Promise<void> {
		const producer = peer?.producer;
		if (!producer || producer.closed || producer.paused === muted) {
			return;
		}
		try {
			await (muted ? producer.pause() : producer.resume());
		} catch (error) {
			this.#deps.log.warn({ err: error, userId: peer.id }, 'applyMute() | producer change failed');
		}
	}

	/** Gives each of `peers` a consumer of `producer` (a new voice on stage). */
	consumeForEach(peers: Iterable<Peer>, producer: ConsumableProducer): void {
		for (const peer of peers) {
			void this.consume(peer, producer);
		}
	}

	/** Where a peer's receive transport lives: its worker's pid and whether that is an edge router. */
	placement(peer: Peer): { workerPid: number | undefined; edge: boolean } | undefined {
		const transport = peer.recvTransport;
		const router = transport && this.#routerOf.get(transport);

		return router
			? { workerPid: this.#routers.workerOf(router)?.pid, edge: router !== this.#deps.origin }
			: undefined;
	}

	// An edge router's worker died: the listeners whose receive transport was there must reconnect.
	#onEdgeLost(edge: types.Router): void {
		this.#deps.onEdgeLost((transport) => this.#routerOf.get(transport) === edge);
	}
}

/** The UDP listen info of a room's transports (plain and pipe transports are UDP only). */
export function udpListenInfo(media: RoomMediaOptions): types.TransportListenInfo {
	const listen = media.listenInfos.find((l) => l.protocol === 'udp');

	return {
		protocol: 'udp',
		ip: listen?.ip ?? '127.0.0.1',
		...(listen?.announcedAddress ? { announcedAddress: listen.announcedAddress } : {}),
		...(listen?.portRange ? { portRange: listen.portRange } : {}),
	};
}
