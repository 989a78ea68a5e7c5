import { SFU_HEARTBEAT_MS, SFU_NODES_KEY, type SfuNode } from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import type { Clock, Timer } from './Clock.js';

/** What a {@link NodeHeartbeat} writes and does each beat. */
export interface NodeHeartbeatDeps {
	/** The bus holding the node registry. */
	bus: Bus;
	/** This node's id (its field in the registry). */
	nodeId: string;
	/** This node's entry as it stands now (`seenAt` is added). */
	node(): Omit<SfuNode, 'id' | 'seenAt'>;
	/** What else runs each beat, after the registry write (presence counts, checks of other nodes). */
	onBeat(): Promise<void>;
	/** Time and timers. */
	clock: Clock;
	/** Logger. */
	log: Logger;
}

/**
 * This node's entry in the node registry (`SFU_NODES_KEY`), written every `SFU_HEARTBEAT_MS` with its
 * load, so the API places rooms and listeners on live nodes with room. The first beat is awaited by
 * {@link NodeHeartbeat.start}: a node that cannot reach the bus does not start.
 */
export class NodeHeartbeat {
	readonly #deps: NodeHeartbeatDeps;
	#timer: Timer | undefined;

	private constructor(deps: NodeHeartbeatDeps) {
		this.#deps = deps;
	}

	/** Beats once, then every `SFU_HEARTBEAT_MS` (later failures are logged). */
	static async start(deps: NodeHeartbeatDeps): Promise<NodeHeartbeat> {
		const heartbeat = new NodeHeartbeat(deps);
		await heartbeat.#beat();
		heartbeat.#timer = deps.clock.setInterval(() => {
			heartbeat
				.#beat()
				.catch((error: unknown) => deps.log.warn({ err: error }, 'heartbeat() | bus write failed'));
		}, SFU_HEARTBEAT_MS);

		return heartbeat;
	}

	/** Stops beating (the entry stays until {@link leave}). */
	stop(): void {
		this.#timer?.cancel();
	}

	/** Removes this node's entry from the registry. */
	leave(): Promise<void> {
		return this.#deps.bus.hdel(SFU_NODES_KEY, this.#deps.nodeId);
	}

	async #beat(): Promise<void> {
		const { bus, nodeId, clock } = this.#deps;
		const node: SfuNode = { id: nodeId, ...this.#deps.node(), seenAt: clock.now() };
		await bus.hset(SFU_NODES_KEY, { [nodeId]: JSON.stringify(node) });
		await this.#deps.onBeat();
	}
}
