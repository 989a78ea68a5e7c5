import type { LinkItem, NotificationData, NotificationType, PipedProducer, PipeEnd } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { PeerChannel } from '../room/contracts.js';
import type { Peer } from '../room/Peer.js';
import type { Room } from '../room/Room.js';
import type { NodeBus } from './NodeBus.js';

/**
 * The origin node's side of one relay node serving listeners of one room: the origin end of their
 * PipeTransport (one pipe consumer per stage producer, however many listeners the relay serves), and
 * the relay's connections as Peers of the Room, whose notifications and closes travel to the relay in
 * order, batched per tick (one bus message carries a broadcast to all of them).
 */
export class RelayLink {
	/** The relay node's id. */
	readonly relayNode: string;
	readonly #room: Room;
	readonly #transport: types.PipeTransport;
	readonly #nodeBus: NodeBus;
	readonly #log: Logger;
	readonly #peers = new Map<string, Peer>();
	readonly #piped = new Map<string, Promise<PipedProducer | undefined>>();
	#queue: LinkItem[] = [];
	#closed = false;

	private constructor(
		room: Room,
		relayNode: string,
		transport: types.PipeTransport,
		nodeBus: NodeBus,
		log: Logger
	) {
		this.#room = room;
		this.relayNode = relayNode;
		this.#transport = transport;
		this.#nodeBus = nodeBus;
		this.#log = log.child({ roomId: room.id, relayNode });
		transport.observer.once('close', () => this.close());
	}

	/**
	 * Opens the origin end towards `relay` (its PipeTransport end) and pipes the current stage; returns the
	 * link, the origin end for the relay to connect to, and the producers to produce there.
	 */
	static async open(
		room: Room,
		relayNode: string,
		relay: PipeEnd,
		nodeBus: NodeBus,
		log: Logger
	): Promise<{ link: RelayLink; pipe: PipeEnd; producers: PipedProducer[] }> {
		const transport = await room.createPipeTransport();
		try {
			await transport.connect({
				ip: relay.ip,
				port: relay.port,
				...(relay.srtpParameters ? { srtpParameters: relay.srtpParameters as types.SrtpParameters } : {}),
			});
		} catch (error) {
			transport.close();
			throw error;
		}
		const link = new RelayLink(room, relayNode, transport, nodeBus, log);
		const producers = await Promise.all(
			room.stageProducers().map((producer) => link.#pipe(producer, String(producer.appData.userId)))
		);

		return {
			link,
			pipe: {
				ip: transport.tuple.localAddress,
				port: transport.tuple.localPort,
				...(transport.srtpParameters ? { srtpParameters: { ...transport.srtpParameters } } : {}),
			},
			producers: producers.filter((p): p is PipedProducer => p !== undefined),
		};
	}

	/** Whether the link is closed. */
	get closed(): boolean {
		return this.#closed;
	}

	/** The relay's connections in the room. */
	get peerCount(): number {
		return this.#peers.size;
	}

	/** A new stage producer: piped to the relay, which produces it on its end. */
	addProducer(producer: types.Producer, userId: string): void {
		if (this.#closed || this.#piped.has(producer.id)) {
			return;
		}
		void this.#pipe(producer, userId).then((piped) => {
			if (piped && !this.#closed) {
				this.#nodeBus.send(this.relayNode, 'link:producer', { roomId: this.#room.id, producer: piped });
			}
		});
	}

	/** The channel of a relay connection (its notifications and close go to the relay). */
	channel(connId: string): PeerChannel {
		return {
			notify: <T extends NotificationType>(type: T, data: NotificationData<T>) =>
				this.#notify(connId, type, data),
			close: (code, reason) => this.#enqueue({ kind: 'close', connId, code, reason }),
		};
	}

	/** Records the peer the Room made for a relay connection. */
	addPeer(connId: string, peer: Peer): void {
		this.#peers.set(connId, peer);
	}

	/** The peer of a relay connection. */
	peer(connId: string): Peer | undefined {
		return this.#peers.get(connId);
	}

	/** A relay connection ended: it leaves the Room (`dropped` keeps a stage seat for a while). */
	leave(connId: string, how: 'left' | 'dropped'): void {
		const peer = this.#peers.get(connId);
		if (peer) {
			this.#peers.delete(connId);
			this.#room.leave(peer, how);
		}
	}

	/**
	 * Closes the link: its remaining connections leave the Room as dropped (the relay is gone or gave the
	 * room up), the pipe closes. `tellRelay` sends `link:closed` after what is queued. Idempotent.
	 */
	close(tellRelay = false): void {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		for (const connId of [...this.#peers.keys()]) {
			this.leave(connId, 'dropped');
		}
		this.#flush();
		if (tellRelay) {
			this.#nodeBus.send(this.relayNode, 'link:closed', { roomId: this.#room.id });
		}
		this.#transport.close();
		this.#log.info('close() | relay link closed');
	}

	async #pipe(producer: types.Producer, userId: string): Promise<PipedProducer | undefined> {
		let piping = this.#piped.get(producer.id);
		if (!piping) {
			piping = this.#consume(producer, userId);
			this.#piped.set(producer.id, piping);
		}

		return piping;
	}

	async #consume(producer: types.Producer, userId: string): Promise<PipedProducer | undefined> {
		try {
			const consumer = await this.#transport.consume({ producerId: producer.id });
			const roomId = this.#room.id;
			const state = (s: 'closed' | 'paused' | 'resumed') => {
				if (!this.#closed) {
					this.#nodeBus.send(this.relayNode, 'link:producerState', {
						roomId,
						producerId: producer.id,
						state: s,
					});
				}
			};
			consumer.on('producerclose', () => {
				this.#piped.delete(producer.id);
				state('closed');
			});
			consumer.on('producerpause', () => state('paused'));
			consumer.on('producerresume', () => state('resumed'));

			return {
				id: producer.id,
				userId,
				rtpParameters: { ...consumer.rtpParameters },
				paused: consumer.producerPaused,
			};
		} catch (error) {
			// The producer or the link closed meanwhile.
			this.#piped.delete(producer.id);
			this.#log.debug({ err: error, producerId: producer.id }, 'pipe() | skipped');

			return undefined;
		}
	}

	// Consecutive notifications of the same data object (a broadcast) become one item.
	#notify(connId: string, type: string, data: unknown): void {
		const last = this.#queue.at(-1);
		if (last?.kind === 'notify' && last.type === type && last.data === data) {
			last.to.push(connId);

			return;
		}
		this.#enqueue({ kind: 'notify', to: [connId], type, data });
	}

	#enqueue(item: LinkItem): void {
		if (this.#closed && item.kind === 'notify') {
			return;
		}
		this.#queue.push(item);
		if (this.#queue.length === 1) {
			queueMicrotask(() => this.#flush());
		}
	}

	#flush(): void {
		if (this.#queue.length === 0) {
			return;
		}
		const items = this.#queue;
		this.#queue = [];
		this.#nodeBus.send(this.relayNode, 'link:batch', { roomId: this.#room.id, items });
	}
}
