import { CloseCode, type NotificationData, type NotificationType, type UserSummary } from '@majlis/protocol';
import type { types } from 'mediasoup';

/** A peer's transport: WebRTC, or plain RTP for load-generator clients (`SfuOptions.allowPlainTransports`). */
export type PeerTransport = types.WebRtcTransport | types.PlainTransport;

/** How a Peer reaches its client: implemented by the signalling session. */
export interface PeerChannel {
	/** Sends a notification (the session numbers it with `seq`). */
	notify<T extends NotificationType>(type: T, data: NotificationData<T>): void;
	/** Closes the connection with a WebSocket close code. */
	close(code: number, reason: string): void;
}

/**
 * One connected user in a room: their channel and their mediasoup objects (at most one send and one
 * receive transport, one producer, consumers by id). Closing a Peer closes its transports, which closes
 * its producer and consumers (mediasoup cascades).
 */
export class Peer {
	/** The user. */
	readonly user: UserSummary;
	/** When this connection joined (ms since epoch). */
	readonly joinedAt: number;
	readonly #channel: PeerChannel;
	#sendTransport: PeerTransport | undefined;
	#recvTransport: PeerTransport | undefined;
	#producer: types.Producer | undefined;
	readonly #consumers = new Map<string, types.Consumer>();
	#rtpCapabilities: types.RtpCapabilities | undefined;
	#closed = false;

	/** Creates a peer for `user` talking through `channel`. */
	constructor(user: UserSummary, channel: PeerChannel, joinedAt: number) {
		this.user = user;
		this.#channel = channel;
		this.joinedAt = joinedAt;
	}

	/** The user's id. */
	get id(): string {
		return this.user.id;
	}

	/** Whether the peer is closed. */
	get closed(): boolean {
		return this.#closed;
	}

	/** The send transport (stage members only). */
	get sendTransport(): PeerTransport | undefined {
		return this.#sendTransport;
	}

	/** The receive transport. */
	get recvTransport(): PeerTransport | undefined {
		return this.#recvTransport;
	}

	/** The microphone producer. */
	get producer(): types.Producer | undefined {
		return this.#producer;
	}

	/** Consumers by id. */
	get consumers(): ReadonlyMap<string, types.Consumer> {
		return this.#consumers;
	}

	/** The client's RTP capabilities, once it asked to consume. */
	get rtpCapabilities(): types.RtpCapabilities | undefined {
		return this.#rtpCapabilities;
	}

	/** Sends a notification to the client (dropped once closed). */
	notify<T extends NotificationType>(type: T, data: NotificationData<T>): void {
		if (!this.#closed) {
			this.#channel.notify(type, data);
		}
	}

	/** Sets the transport of a direction, closing the one it replaces. */
	setTransport(direction: 'send' | 'recv', transport: PeerTransport): void {
		const previous = direction === 'send' ? this.#sendTransport : this.#recvTransport;
		if (direction === 'send') {
			this.#sendTransport = transport;
		} else {
			this.#recvTransport = transport;
			this.#rtpCapabilities = undefined;
		}
		previous?.close();
		(transport as types.Transport).observer.once('close', () => {
			if (this.#sendTransport === transport) {
				this.#sendTransport = undefined;
			}
			if (this.#recvTransport === transport) {
				this.#recvTransport = undefined;
				this.#rtpCapabilities = undefined;
			}
		});
	}

	/** A transport of this peer by id. */
	transport(transportId: string): PeerTransport | undefined {
		if (this.#sendTransport?.id === transportId) {
			return this.#sendTransport;
		}

		return this.#recvTransport?.id === transportId ? this.#recvTransport : undefined;
	}

	/** Closes the send transport (and with it the producer). */
	closeSendTransport(): void {
		this.#sendTransport?.close();
	}

	/** Records the producer; it forgets it when it closes. */
	setProducer(producer: types.Producer): void {
		this.#producer = producer;
		producer.observer.once('close', () => {
			if (this.#producer === producer) {
				this.#producer = undefined;
			}
		});
	}

	/** Records a consumer; it forgets it when it closes. */
	addConsumer(consumer: types.Consumer): void {
		this.#consumers.set(consumer.id, consumer);
		consumer.observer.once('close', () => this.#consumers.delete(consumer.id));
	}

	/** Whether this peer already consumes `producerId`. */
	consumes(producerId: string): boolean {
		for (const consumer of this.#consumers.values()) {
			if (consumer.producerId === producerId) {
				return true;
			}
		}

		return false;
	}

	/** Records the client's RTP capabilities. */
	setRtpCapabilities(capabilities: types.RtpCapabilities): void {
		this.#rtpCapabilities = capabilities;
	}

	/**
	 * Tells the client to reconnect through the API (`session:closing`, then 4012 Moving) and closes:
	 * a worker or node went away, the node shuts down, or the user must speak from another node.
	 */
	moveAway(reason: 'moving' | 'shutdown' = 'moving'): void {
		this.close(CloseCode.Moving, reason, () => this.notify('session:closing', { reason }));
	}

	/**
	 * Closes the media (transports cascade to producer and consumers) and the connection; idempotent.
	 * `notice` is sent first when the client should learn why (replaced, removed, shutdown).
	 */
	close(code: number, reason: string, notice?: () => void): void {
		if (this.#closed) {
			return;
		}
		notice?.();
		this.#closed = true;
		this.#sendTransport?.close();
		this.#recvTransport?.close();
		this.#channel.close(code, reason);
	}
}
