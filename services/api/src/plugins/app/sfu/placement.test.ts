import { randomUUID } from 'node:crypto';
import {
	isSfuNodeAlive as isAlive,
	type LiveStateData,
	parseSfuNodes as parseNodes,
	roomNodeKey,
	SFU_NODE_TIMEOUT_MS as NODE_TIMEOUT_MS,
	SFU_NODES_KEY,
	type SfuNode,
} from '@majlis/protocol';
import { MemoryBus } from '@majlis/server-kit';
import { afterEach, describe, expect, test } from 'vitest';
import { UnavailableError } from '../../../errors.js';
import {
	chooseNode,
	createPlacement,
	isOnLiveStage,
	pickNode,
} from './placement.js';

const NOW = 1_000_000;

function node(id: string, overrides: Partial<SfuNode> = {}): SfuNode {
	return {
		id,
		url: `ws://${id}.test/ws`,
		rooms: 0,
		peers: 0,
		consumers: 0,
		capacity: 1000,
		seenAt: NOW,
		...overrides,
	};
}

describe('pickNode()', () => {
	test('picks the least-loaded live node relative to capacity', () => {
		const nodes = [
			node('busy', { consumers: 500, capacity: 1000 }),
			node('big', { consumers: 500, capacity: 5000 }),
			node('dead', { consumers: 0, seenAt: NOW - NODE_TIMEOUT_MS }),
		];
		expect(pickNode(nodes, NOW)?.id).toBe('big');
	});

	test('ties go to fewer peers, then to the smaller id', () => {
		expect(pickNode([node('b', { peers: 1 }), node('c', { peers: 0 })], NOW)?.id).toBe('c');
		expect(pickNode([node('b'), node('a')], NOW)?.id).toBe('a');
	});

	test('no live node → undefined', () => {
		expect(pickNode([node('old', { seenAt: NOW - NODE_TIMEOUT_MS - 1 })], NOW)).toBeUndefined();
		expect(pickNode([], NOW)).toBeUndefined();
	});

	test('a node is alive for three heartbeats', () => {
		expect(isAlive(node('n', { seenAt: NOW - NODE_TIMEOUT_MS + 1 }), NOW)).toBe(true);
		expect(isAlive(node('n', { seenAt: NOW - NODE_TIMEOUT_MS }), NOW)).toBe(false);
	});
});

describe('chooseNode()', () => {
	const full = node('origin', { consumers: 1000, capacity: 1000 });

	test('the origin serves while it has room, whoever joins', () => {
		const origin = node('origin', { consumers: 999, capacity: 1000 });
		expect(chooseNode([origin, node('edge')], origin, false, NOW)).toBe(origin);
		expect(chooseNode([origin, node('edge')], origin, true, NOW)).toBe(origin);
	});

	test('a full origin sends a plain listener to another node with room', () => {
		expect(chooseNode([full, node('edge', { consumers: 999 })], full, false, NOW).id).toBe('edge');
	});

	test('people on stage stay on a full origin', () => {
		expect(chooseNode([full, node('edge')], full, true, NOW)).toBe(full);
	});

	test('when every node is full (or over), the origin serves anyway', () => {
		const nodes = [full, node('e1', { consumers: 1000 }), node('e2', { consumers: 1200, capacity: 1000 })];
		expect(chooseNode(nodes, full, false, NOW)).toBe(full);
		// A node with no capacity never has room.
		expect(chooseNode([full, node('zero', { consumers: 0, capacity: 0 })], full, false, NOW)).toBe(full);
	});

	test('dead nodes are never chosen as edges', () => {
		const dead = node('dead', { seenAt: NOW - NODE_TIMEOUT_MS });
		expect(chooseNode([full, dead], full, false, NOW)).toBe(full);
		expect(chooseNode([full, dead, node('live', { consumers: 900 })], full, false, NOW).id).toBe('live');
	});

	test('the least-loaded edge is chosen (relative to capacity, then peers, then id)', () => {
		const nodes = [
			full,
			node('busy', { consumers: 500, capacity: 1000 }),
			node('big', { consumers: 500, capacity: 5000 }),
			node('almost', { consumers: 4999, capacity: 5000 }),
		];
		expect(chooseNode(nodes, full, false, NOW).id).toBe('big');
		expect(chooseNode([full, node('c', { peers: 1 }), node('d')], full, false, NOW).id).toBe('d');
		expect(chooseNode([full, node('c'), node('b')], full, false, NOW).id).toBe('b');
	});
});

describe('isOnLiveStage()', () => {
	const [onStage, invited, other] = [randomUUID(), randomUUID(), randomUUID()];
	const user = (id: string) => ({ id, handle: `h${id.slice(0, 4)}`, displayName: 'Someone' });
	const state: LiveStateData = {
		version: 1,
		info: { id: randomUUID(), title: 'A room', speakRequests: 'everyone', maxSpeakers: 10 },
		hostId: randomUUID(),
		appointments: [],
		guests: [],
		banned: [],
		stage: [{ user: user(onStage), since: NOW, muted: false }],
		hands: [{ user: user(other), at: NOW }],
		invited: [{ userId: invited, by: randomUUID() }],
		hostAwayUntil: null,
		savedAt: NOW,
	};

	test('lists the people on stage and those invited to it', () => {
		const raw = JSON.stringify(state);
		expect(isOnLiveStage(raw, onStage)).toBe(true);
		expect(isOnLiveStage(raw, invited)).toBe(true);
		// A raised hand is not a place on stage.
		expect(isOnLiveStage(raw, other)).toBe(false);
	});

	test('absent, unparsable or invalid state counts as not on stage', () => {
		expect(isOnLiveStage(null, onStage)).toBe(false);
		expect(isOnLiveStage('{not json', onStage)).toBe(false);
		expect(isOnLiveStage(JSON.stringify({ ...state, version: 2 }), onStage)).toBe(false);
		expect(isOnLiveStage(JSON.stringify({ stage: state.stage, invited: state.invited }), onStage)).toBe(
			false
		);
	});
});

test('parseNodes() skips corrupt entries', () => {
	const nodes = parseNodes({
		a: JSON.stringify(node('a')),
		b: '{not json',
		c: JSON.stringify({ id: 'c' }),
	});
	expect(nodes.map((n) => n.id)).toEqual(['a']);
});

describe('createPlacement()', () => {
	const bus = new MemoryBus(() => NOW);
	const placement = createPlacement(bus, () => NOW);
	afterEach(async () => {
		await bus.del(SFU_NODES_KEY, roomNodeKey('r1'));
	});

	test('places a room on the least-loaded node and keeps it there', async () => {
		await bus.hset(SFU_NODES_KEY, {
			a: JSON.stringify(node('a', { consumers: 10 })),
			b: JSON.stringify(node('b', { consumers: 5 })),
		});
		expect(await placement.place('r1', { stage: false })).toEqual({
			node: node('b', { consumers: 5 }),
			origin: node('b', { consumers: 5 }),
		});
		expect(await bus.get(roomNodeKey('r1'))).toBe('b');
		// b gets busier, but the room stays where it is.
		await bus.hset(SFU_NODES_KEY, { b: JSON.stringify(node('b', { consumers: 900 })) });
		expect((await placement.place('r1', { stage: false })).node.id).toBe('b');
	});

	test('moves a room off a dead node', async () => {
		await bus.hset(SFU_NODES_KEY, {
			a: JSON.stringify(node('a')),
			b: JSON.stringify(node('b', { seenAt: NOW - NODE_TIMEOUT_MS })),
		});
		await bus.set(roomNodeKey('r1'), 'b');
		expect((await placement.place('r1', { stage: true })).origin.id).toBe('a');
		expect(await bus.get(roomNodeKey('r1'))).toBe('a');
	});

	test('throws UnavailableError (503) when no node is alive', async () => {
		await expect(placement.place('r1', { stage: false })).rejects.toBeInstanceOf(UnavailableError);
		await expect(placement.place('r1', { stage: true })).rejects.toMatchObject({
			statusCode: 503,
			errorCode: 'unavailable',
		});
	});

	test('a full origin sends plain listeners to an edge and keeps the stage (and the room) on the origin', async () => {
		await bus.hset(SFU_NODES_KEY, {
			a: JSON.stringify(node('a')),
			b: JSON.stringify(node('b', { consumers: 1 })),
		});
		expect((await placement.place('r1', { stage: false })).origin.id).toBe('a');
		// a fills up.
		await bus.hset(SFU_NODES_KEY, { a: JSON.stringify(node('a', { consumers: 1000 })) });
		expect(await placement.place('r1', { stage: false })).toEqual({
			node: node('b', { consumers: 1 }),
			origin: node('a', { consumers: 1000 }),
		});
		expect((await placement.place('r1', { stage: true })).node.id).toBe('a');
		// The edge is per join: the room's record still names its origin.
		expect(await bus.get(roomNodeKey('r1'))).toBe('a');
		// b fills up too: the origin serves, over capacity.
		await bus.hset(SFU_NODES_KEY, { b: JSON.stringify(node('b', { consumers: 1000 })) });
		expect((await placement.place('r1', { stage: false })).node.id).toBe('a');
	});

	test('forget() clears the room’s node', async () => {
		await bus.set(roomNodeKey('r1'), 'a');
		await placement.forget('r1');
		expect(await bus.get(roomNodeKey('r1'))).toBeNull();
	});
});
