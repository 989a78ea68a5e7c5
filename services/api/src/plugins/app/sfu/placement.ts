import {
	compile,
	roomNodeKey,
	SFU_HEARTBEAT_MS,
	SFU_NODES_KEY,
	type SfuNode,
	SfuNodeSchema,
} from '@majlis/protocol';
import type { Bus } from '@majlis/server-kit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { UnavailableError } from '../../../errors.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Chooses the SFU node that serves a room. */
		placement: Placement;
	}
}

/** A node silent for this long is dead (three missed heartbeats). */
export const NODE_TIMEOUT_MS = 3 * SFU_HEARTBEAT_MS;

const nodeChecker = compile(SfuNodeSchema);

/** Parses the registry hash; entries that are not valid {@link SfuNode} JSON are skipped. */
export function parseNodes(hash: Record<string, string>): SfuNode[] {
	const nodes: SfuNode[] = [];
	for (const raw of Object.values(hash)) {
		try {
			const value: unknown = JSON.parse(raw);
			if (nodeChecker.check(value)) {
				nodes.push(value);
			}
		} catch {
			// A corrupt entry must not stop placement on the healthy nodes.
		}
	}

	return nodes;
}

/** Whether the node's last heartbeat is recent enough. */
export function isAlive(node: SfuNode, now: number): boolean {
	return now - node.seenAt < NODE_TIMEOUT_MS;
}

function load(node: SfuNode): number {
	return node.capacity > 0 ? node.consumers / node.capacity : Number.POSITIVE_INFINITY;
}

/** The least-loaded live node (consumers relative to capacity, then fewest peers, then id), if any. */
export function pickNode(nodes: readonly SfuNode[], now: number): SfuNode | undefined {
	const alive = nodes.filter((n) => isAlive(n, now));
	alive.sort((a, b) => load(a) - load(b) || a.peers - b.peers || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

	return alive[0];
}

/**
 * Placement over the bus: a live room stays on the node recorded in `roomNodeKey(roomId)` while that
 * node is alive; otherwise the least-loaded live node takes it (SET NX, so concurrent joins agree).
 */
export function createPlacement(bus: Bus, now: () => number = Date.now) {
	return {
		/** The node serving `roomId`, placing the room if needed; throws {@link UnavailableError} when none is alive. */
		async place(roomId: string): Promise<SfuNode> {
			const key = roomNodeKey(roomId);
			for (let attempt = 0; attempt < 3; attempt++) {
				const nodes = parseNodes(await bus.hgetall(SFU_NODES_KEY));
				const currentId = await bus.get(key);
				if (currentId !== null) {
					const current = nodes.find((n) => n.id === currentId);
					if (current && isAlive(current, now())) {
						return current;
					}
					// The recorded node died: forget it so a live node can take the room. Two joins racing
					// here may both delete; SET NX below still lets only one placement win.
					await bus.del(key);
				}
				const chosen = pickNode(nodes, now());
				if (!chosen) {
					throw new UnavailableError('no audio server is available; try again shortly');
				}
				if (await bus.setIfAbsent(key, chosen.id)) {
					return chosen;
				}
				// Another join placed the room first: loop to use its choice.
			}
			throw new UnavailableError('could not place the room on an audio server; try again');
		},

		/** Forgets the room's node (the room ended). */
		async forget(roomId: string): Promise<void> {
			await bus.del(roomNodeKey(roomId));
		},
	};
}

/** What {@link createPlacement} returns. */
export type Placement = ReturnType<typeof createPlacement>;

/** Decorates the app with `placement`. */
export default fp(
	async function placement(app: FastifyInstance) {
		app.decorate('placement', createPlacement(app.bus));
	},
	{ name: 'placement', dependencies: ['bus'] }
);
