import {
	compile,
	isSfuNodeAlive as isAlive,
	LiveStateDataSchema,
	parseSfuNodes as parseNodes,
	roomNodeKey,
	SFU_NODES_KEY,
	type SfuNode,
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

function load(node: SfuNode): number {
	return node.capacity > 0 ? node.consumers / node.capacity : Number.POSITIVE_INFINITY;
}

/** The least-loaded live node (consumers relative to capacity, then fewest peers, then id), if any. */
export function pickNode(nodes: readonly SfuNode[], now: number): SfuNode | undefined {
	const alive = nodes.filter((n) => isAlive(n, now));
	alive.sort((a, b) => load(a) - load(b) || a.peers - b.peers || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

	return alive[0];
}

/** Whether the node may take more consumers (`consumers < capacity`). */
export function hasRoom(node: SfuNode): boolean {
	return node.consumers < node.capacity;
}

/**
 * The node that serves one person in a room whose origin is `origin`. People on stage (and anyone while
 * the origin has room) go to the origin, where the stage's producers live. A plain listener of a full
 * origin goes to an edge: the least-loaded other live node with room (by {@link pickNode}'s order), which
 * pipes the stage audio from the origin. When no edge has room the origin serves anyway, over capacity,
 * because refusing a listener is worse than an overloaded node.
 */
export function chooseNode(nodes: readonly SfuNode[], origin: SfuNode, stage: boolean, now: number): SfuNode {
	if (stage || hasRoom(origin)) {
		return origin;
	}

	return (
		pickNode(
			nodes.filter((n) => n.id !== origin.id && hasRoom(n)),
			now
		) ?? origin
	);
}

const liveStateChecker = compile(LiveStateDataSchema);

/**
 * Whether the room's live state (the raw JSON the SFU writes at `roomLiveKey(roomId)`) has `userId` on
 * stage or invited to it, so they must join on the origin. The value is untrusted: absent, unparsable
 * or invalid state counts as "no".
 */
export function isOnLiveStage(raw: string | null, userId: string): boolean {
	if (raw === null) {
		return false;
	}
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return false;
	}
	if (!liveStateChecker.check(value)) {
		return false;
	}

	return value.stage.some((s) => s.user.id === userId) || value.invited.some((i) => i.userId === userId);
}

/** Where one join goes: the node the person connects to, and the room's origin node. */
export interface PlacedJoin {
	/** The node that serves this person (the origin, or an edge when the origin is full). */
	node: SfuNode;
	/** The room's origin node, recorded in `roomNodeKey(roomId)`, where the stage's audio is produced. */
	origin: SfuNode;
}

/** Options of {@link Placement.place}. */
export interface PlaceOptions {
	/** The person is or may soon be on stage (stage roles, speaker guests, on stage or invited live). */
	stage: boolean;
}

/**
 * Placement over the bus. A live room's origin stays on the node recorded in `roomNodeKey(roomId)` while
 * that node is alive; otherwise the least-loaded live node takes it (SET NX, so concurrent joins agree).
 * Each join then goes to the origin or, for a plain listener of a full origin, to an edge node
 * ({@link chooseNode}). `now` is injectable so liveness can be tested.
 */
export function createPlacement(bus: Bus, now: () => number = Date.now) {
	return {
		/**
		 * The room's origin (placing the room if needed) and the node serving this join; throws
		 * {@link UnavailableError} when no node is alive.
		 */
		async place(roomId: string, { stage }: PlaceOptions): Promise<PlacedJoin> {
			const key = roomNodeKey(roomId);
			for (let attempt = 0; attempt < 3; attempt++) {
				const nodes = parseNodes(await bus.hgetall(SFU_NODES_KEY));
				const currentId = await bus.get(key);
				if (currentId !== null) {
					const current = nodes.find((n) => n.id === currentId);
					if (current && isAlive(current, now())) {
						return { node: chooseNode(nodes, current, stage, now()), origin: current };
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
					return { node: chooseNode(nodes, chosen, stage, now()), origin: chosen };
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
