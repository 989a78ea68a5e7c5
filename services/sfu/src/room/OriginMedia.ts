import type { ConsumerInfo } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import { ForbiddenError, RoomEndedError } from '../errors.js';
import type { MediaRequests } from './contracts.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomMedia } from './RoomMedia.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** What {@link OriginMedia} needs of its room. */
export interface OriginMediaDeps {
	/** The room's transports and consumers on this node. */
	media: RoomMedia;
	/** The room's AudioLevelObserver (who is speaking). */
	audioLevel: types.AudioLevelObserver;
	/** The room's connections, by user id (owned by the Room). */
	peers: ReadonlyMap<string, Peer>;
	/** The room's live state (who is on stage, who is muted). */
	state: LiveState;
	/** Who is told what. */
	notifier: RoomNotifier;
	/** The room's logger. */
	log: Logger;
	/** Whether the room closed. */
	isClosed(): boolean;
	/** A stage member's microphone started (the Room's `producer` event). */
	onProducer(producer: types.Producer, userId: string): void;
}

/**
 * The media requests of the room's origin node: the stage rules (only stage members send; a transport
 * or producer that is no longer wanted once created is dropped) around the shared {@link RoomMedia}, and
 * what a new microphone changes in the room (speaking detection, the member's `hasAudio`, a consumer
 * for everyone else).
 */
export class OriginMedia implements MediaRequests {
	readonly #deps: OriginMediaDeps;

	/** The origin media of one room. */
	constructor(deps: OriginMediaDeps) {
		this.#deps = deps;
	}

	/** Creates the peer's send (stage members only) or receive transport, replacing an earlier one. */
	async createTransport(peer: Peer, direction: 'send' | 'recv'): ReturnType<RoomMedia['createTransport']> {
		this.#assertMay(direction, peer);

		return this.#deps.media.createTransport(peer, direction, () => this.#keeps(direction, peer));
	}

	/**
	 * Load generator only (`allowPlainTransports`): a plain RTP transport, SRTP when `srtp` is given.
	 * `recv` sends to `remote`; `send` learns the sender's address from its first packet (comedia).
	 */
	async createPlainTransport(
		peer: Peer,
		direction: 'send' | 'recv',
		remote: { ip: string; port: number } | undefined,
		srtp: { cryptoSuite: string; keyBase64: string } | undefined
	): ReturnType<RoomMedia['createPlainTransport']> {
		this.#assertMay(direction, peer);

		return this.#deps.media.createPlainTransport(peer, direction, remote, srtp, () =>
			this.#keeps(direction, peer)
		);
	}

	/** Completes a transport's DTLS with the client's parameters. */
	connectTransport(peer: Peer, transportId: string, dtlsParameters: Record<string, unknown>): Promise<void> {
		return this.#deps.media.connectTransport(peer, transportId, dtlsParameters);
	}

	/** New ICE parameters for a transport. */
	restartIce(peer: Peer, transportId: string): Promise<Record<string, unknown>> {
		return this.#deps.media.restartIce(peer, transportId);
	}

	/**
	 * Starts the peer's microphone: stage members only, Opus audio only, one producer per peer. It starts
	 * paused when the member is muted. Everyone receiving gets a consumer.
	 */
	async produce(
		peer: Peer,
		transportId: string,
		kind: string,
		rtpParameters: Record<string, unknown>
	): Promise<string> {
		const { state, notifier, peers, log } = this.#deps;
		this.#assertMay('send', peer);
		const producer = await this.#deps.media.produce(peer, transportId, kind, rtpParameters, {
			muted: () => this.#muted(peer.id),
			stillWanted: () => this.#keeps('send', peer),
			onClose: () => {
				if (!this.#deps.isClosed() && peers.get(peer.id) === peer && state.isOnStage(peer.id)) {
					notifier.broadcastMember(peer.id);
				}
			},
		});
		this.#deps.audioLevel
			.addProducer({ producerId: producer.id })
			.catch((error: unknown) => log.warn({ err: error }, 'produce() | audio level observer refused'));
		notifier.broadcastMember(peer.id);
		const others = [...peers.values()].filter((other) => other !== peer);
		this.#deps.media.consumeForEach(others, { producer, userId: peer.id });
		this.#deps.onProducer(producer, peer.id);
		log.debug({ userId: peer.id, producerId: producer.id, muted: producer.paused }, 'produce() | producing');

		return producer.id;
	}

	/** Starts receiving: a paused consumer (returned with `batch`, else each a `consumer:new`) per producer of the others. */
	consumeStart(peer: Peer, rtpCapabilities: Record<string, unknown>, batch: boolean): Promise<ConsumerInfo[]> {
		this.#assertOpen();

		return this.#deps.media.consumeStart(
			peer,
			rtpCapabilities,
			[...this.#deps.peers.values()].flatMap((other) => {
				const producer = other.producer;

				return other.id === peer.id || !producer || producer.closed ? [] : [{ producer, userId: other.id }];
			}),
			batch
		);
	}

	/** The client is ready for a consumer's first packet: resume it. */
	resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
		return this.#deps.media.resumeConsumer(peer, consumerId);
	}

	/** The client is ready for a batch of consumers: resume them. */
	resumeConsumers(peer: Peer, consumerIds: readonly string[]): Promise<void> {
		return this.#deps.media.resumeConsumers(peer, consumerIds);
	}

	/** Makes a user's producer match their mute state (resolves once paused or resumed). */
	applyMute(userId: string): Promise<void> {
		return this.#deps.media.applyMute(this.#deps.peers.get(userId), this.#muted(userId));
	}

	#muted(userId: string): boolean {
		return this.#deps.state.stageEntry(userId)?.muted ?? true;
	}

	// Whether a transport just created is still wanted: the room is open and a sender is still on stage.
	#keeps(direction: 'send' | 'recv', peer: Peer): boolean {
		return !this.#deps.isClosed() && (direction === 'recv' || this.#deps.state.isOnStage(peer.id));
	}

	// The room is open and, to send, the peer is on stage.
	#assertMay(direction: 'send' | 'recv', peer: Peer): void {
		this.#assertOpen();
		if (direction === 'send' && !this.#deps.state.isOnStage(peer.id)) {
			throw new ForbiddenError('only stage members can send audio');
		}
	}

	#assertOpen(): void {
		if (this.#deps.isClosed()) {
			throw new RoomEndedError('the room is closed');
		}
	}
}
