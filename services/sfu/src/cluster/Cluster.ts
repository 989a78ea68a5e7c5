import {
	isSfuNodeAlive,
	parseClientFrame,
	parseSfuNodes,
	roomNodeKey,
	SFU_NODES_KEY,
	type TicketClaims,
} from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import { BadRequestError, InvalidStateError, UnauthorizedError, UnavailableError } from '../errors.js';
import { OpenRegistry } from '../OpenRegistry.js';
import type { RoomRequestType } from '../room/contracts.js';
import type { Room } from '../room/Room.js';
import { dispatchRoom, isMediaRequest } from '../signalling/dispatch.js';
import {
	NodeBus,
	type NodeMessageData,
	type NodeMessageHandler,
	type NodeReplyData,
	type NodeRequestData,
	type NodeRequestHandler,
} from './NodeBus.js';
import { RelayLink } from './RelayLink.js';
import { RelayRoom, type RelayRoomOptions } from './RelayRoom.js';

/** Dependencies of {@link Cluster.create}. */
export interface ClusterOptions {
	/** The shared bus. */
	bus: Bus;
	/** This node's id. */
	nodeId: string;
	/** The Rooms open on this node. */
	openRooms: ReadonlyMap<string, Room>;
	/** Opens a room on this node (it is placed here). */
	openRoom(roomId: string): Promise<Room>;
	/** Settings of a relay of `roomId` for `originNode` (picks a worker). */
	relayOptions(roomId: string, originNode: string, nodeBus: NodeBus): Promise<RelayRoomOptions>;
	/** Verifies a join ticket (throws when it is forged or expired): a relay's joins are checked with it. */
	verifyTicket(ticket: string): Promise<TicketClaims>;
	/** Time. */
	now(): number;
	/** Logger. */
	log: Logger;
}

/**
 * This node's part in rooms larger than a node. As an origin it accepts relay links (`link:open`) for
 * its rooms, makes the relays' connections Peers of its Rooms and answers their requests; as a relay it
 * opens RelayRooms for tickets that name another node as the room's origin. Each heartbeat it drops the
 * links and relays of nodes that stopped beating.
 */
export class Cluster {
	readonly #options: ClusterOptions;
	readonly #log: Logger;
	#nodeBus!: NodeBus;
	// Origin side: roomId → relay node → link.
	readonly #links = new Map<string, Map<string, RelayLink>>();
	readonly #wired = new WeakSet<Room>();
	// Relay side: the relays by roomId.
	readonly #relays = new OpenRegistry<RelayRoom>();

	private constructor(options: ClusterOptions) {
		this.#options = options;
		this.#log = options.log;
	}

	/** Subscribes to this node's bus channel. */
	static async create(options: ClusterOptions): Promise<Cluster> {
		const cluster = new Cluster(options);
		cluster.#nodeBus = await NodeBus.create({
			bus: options.bus,
			nodeId: options.nodeId,
			log: options.log,
			onRequest: ((op, from, data) => cluster.#onRequest(op, from, data)) as NodeRequestHandler,
			onMessage: ((op, from, data) => cluster.#onMessage(op, from, data)) as NodeMessageHandler,
		});

		return cluster;
	}

	/** Relays open on this node. */
	relays(): RelayRoom[] {
		return [...this.#relays.values()];
	}

	/** The open relay of a room (diagnostics and tests). */
	relay(roomId: string): RelayRoom | undefined {
		return this.#relays.get(roomId);
	}

	/** Connections relays serve for the Rooms of this node. */
	relayedPeers(): number {
		let n = 0;
		for (const links of this.#links.values()) {
			for (const link of links.values()) {
				n += link.peerCount;
			}
		}

		return n;
	}

	/** The relay of `roomId` for `originNode`, opening it (and its link) when needed. */
	openRelay(roomId: string, originNode: string): Promise<RelayRoom> {
		return this.#relays.open(
			roomId,
			async () => RelayRoom.open(await this.#options.relayOptions(roomId, originNode, this.#nodeBus)),
			// A relay of an origin that changed (the room moved) is replaced.
			{ reuse: (current) => !current.closed && current.originNode === originNode }
		);
	}

	/**
	 * Drops what depends on dead nodes: relays whose origin stopped beating (their listeners reconnect
	 * through the API) and links of relays that did (their connections leave the Rooms).
	 */
	async checkNodes(): Promise<void> {
		if (this.#links.size === 0 && this.#relays.size === 0) {
			return;
		}
		const now = this.#options.now();
		const alive = new Set(
			parseSfuNodes(await this.#options.bus.hgetall(SFU_NODES_KEY))
				.filter((node) => isSfuNodeAlive(node, now))
				.map((node) => node.id)
		);
		for (const relay of this.#relays.values()) {
			if (!alive.has(relay.originNode)) {
				this.#log.warn({ roomId: relay.id, originNode: relay.originNode }, 'checkNodes() | origin gone');
				relay.close('origin-lost');
			}
		}
		for (const links of this.#links.values()) {
			for (const link of links.values()) {
				if (!alive.has(link.relayNode)) {
					this.#log.warn({ relayNode: link.relayNode }, 'checkNodes() | relay gone');
					link.close();
				}
			}
		}
	}

	/** Closes relays (their listeners reconnect) and links, and leaves the bus channel. */
	async close(): Promise<void> {
		for (const relay of [...this.#relays.values()]) {
			relay.close('shutdown');
		}
		for (const links of this.#links.values()) {
			for (const link of links.values()) {
				link.close(true);
			}
		}
		this.#links.clear();
		await this.#nodeBus.close();
	}

	// ─── Origin side ─────────────────────────────────────────────────────────

	async #onRequest(op: string, from: string, data: unknown): Promise<unknown> {
		switch (op) {
			case 'link:open': {
				return this.#openLink(from, data as NodeRequestData<'link:open'>);
			}
			case 'peer:join': {
				const { roomId, connId, ticket } = data as NodeRequestData<'peer:join'>;
				const claims = await this.#relayedClaims(ticket, roomId, from);
				const { room, link } = this.#link(roomId, from);
				const user = { id: claims.sub, handle: claims.hdl, displayName: claims.name };
				const { peer, snapshot } = room.join(user, claims.sg, link.channel(connId));
				link.addPeer(connId, peer);

				return { snapshot } satisfies NodeReplyData<'peer:join'>;
			}
			case 'peer:request': {
				const { roomId, connId, type, data: requestData } = data as NodeRequestData<'peer:request'>;
				const { room, link } = this.#link(roomId, from);
				const peer = link.peer(connId);
				if (!peer || peer.closed) {
					throw new InvalidStateError('not in the room');
				}
				// Validated again here, with the protocol's one validator: another process sent it.
				const frame = parseClientFrame(JSON.stringify({ id: 0, type, data: requestData }));
				if (!frame.ok) {
					throw new BadRequestError(frame.error.message);
				}
				if (
					frame.type === 'session:join' ||
					frame.type === 'session:leave' ||
					isMediaRequest(frame.type as RoomRequestType)
				) {
					throw new InvalidStateError(`${frame.type} is answered by the relay node`);
				}

				return {
					data: await dispatchRoom(room, peer, frame.type, frame.data),
				} satisfies NodeReplyData<'peer:request'>;
			}
			default: {
				throw new BadRequestError(`unknown request ${op}`);
			}
		}
	}

	// A relay's join is only as good as the ticket it forwards (finding 3 of the security review): the
	// ticket must be valid, for this room, issued for that relay node with this node as the room's origin.
	async #relayedClaims(ticket: string, roomId: string, relayNode: string): Promise<TicketClaims> {
		const claims = await this.#options.verifyTicket(ticket).catch(() => {
			throw new UnauthorizedError('the relayed ticket is invalid or expired');
		});
		if (claims.rid !== roomId || claims.node !== relayNode || claims.org !== this.#options.nodeId) {
			this.#log.warn({ roomId, relayNode, user: claims.sub }, 'peer:join | relayed ticket does not match');
			throw new UnauthorizedError('the relayed ticket is not for this room through that node');
		}

		return claims;
	}

	async #openLink(
		relayNode: string,
		{ roomId, pipe }: NodeRequestData<'link:open'>
	): Promise<NodeReplyData<'link:open'>> {
		const room = await this.#originRoom(roomId);
		let links = this.#links.get(roomId);
		if (!links) {
			links = new Map();
			this.#links.set(roomId, links);
		}
		// A relay that reopens the room replaces its previous link.
		links.get(relayNode)?.close();
		this.#wire(room);
		const {
			link,
			pipe: originEnd,
			producers,
		} = await RelayLink.open(room, relayNode, pipe, this.#nodeBus, this.#log);
		links.set(relayNode, link);
		this.#log.info({ roomId, relayNode, producers: producers.length }, 'openLink() | relay linked');

		return { pipe: originEnd, producers };
	}

	// The Room open here, or opened now when the room is placed on this node.
	async #originRoom(roomId: string): Promise<Room> {
		const open = this.#options.openRooms.get(roomId);
		if (open && !open.closed) {
			return open;
		}
		if ((await this.#options.bus.get(roomNodeKey(roomId))) !== this.#options.nodeId) {
			throw new UnavailableError('the room is not served by this node');
		}

		return this.#options.openRoom(roomId);
	}

	// New producers go to every relay of the room; the room's end closes its links.
	#wire(room: Room): void {
		if (this.#wired.has(room)) {
			return;
		}
		this.#wired.add(room);
		room.on('producer', (producer, userId) => {
			for (const link of this.#links.get(room.id)?.values() ?? []) {
				link.addProducer(producer, userId);
			}
		});
		room.once('close', () => {
			const links = this.#links.get(room.id);
			if (!links) {
				return;
			}
			this.#links.delete(room.id);
			for (const link of links.values()) {
				link.close(true);
			}
		});
	}

	#link(roomId: string, relayNode: string): { room: Room; link: RelayLink } {
		const room = this.#options.openRooms.get(roomId);
		const link = this.#links.get(roomId)?.get(relayNode);
		if (!room || room.closed || !link || link.closed) {
			throw new UnavailableError('no link to this room; reopen it');
		}

		return { room, link };
	}

	// ─── Messages ────────────────────────────────────────────────────────────

	#onMessage(op: string, from: string, data: unknown): void {
		switch (op) {
			case 'peer:leave': {
				const { roomId, connId, how } = data as NodeMessageData<'peer:leave'>;
				this.#links.get(roomId)?.get(from)?.leave(connId, how);
				break;
			}
			case 'link:close': {
				const { roomId } = data as NodeMessageData<'link:close'>;
				const links = this.#links.get(roomId);
				links?.get(from)?.close();
				links?.delete(from);
				break;
			}
			case 'link:batch': {
				const { roomId, items } = data as NodeMessageData<'link:batch'>;
				this.#toRelay(roomId, from, (relay) => relay.applyBatch(items));
				break;
			}
			case 'link:producer': {
				const { roomId, producer } = data as NodeMessageData<'link:producer'>;
				this.#toRelay(roomId, from, (relay) => relay.applyProducer(producer));
				break;
			}
			case 'link:producerState': {
				const { roomId, producerId, state } = data as NodeMessageData<'link:producerState'>;
				this.#toRelay(roomId, from, (relay) => relay.applyProducerState(producerId, state));
				break;
			}
			case 'link:closed': {
				const { roomId } = data as NodeMessageData<'link:closed'>;
				this.#toRelay(roomId, from, (relay) => relay.close('origin-closed'));
				break;
			}
			default: {
				this.#log.warn({ op, from }, 'onMessage() | unknown message');
			}
		}
	}

	// Applies an origin's message to the relay of that room, in arrival order (also while it opens).
	#toRelay(roomId: string, originNode: string, apply: (relay: RelayRoom) => void): void {
		const opening = this.#relays.entry(roomId);
		if (!opening) {
			return;
		}
		opening
			.then((relay) => {
				if (!relay.closed && relay.originNode === originNode) {
					apply(relay);
				}
			})
			.catch(() => undefined);
	}
}
