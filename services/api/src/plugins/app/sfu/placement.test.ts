import { roomNodeKey, SFU_NODES_KEY, type SfuNode } from '@majlis/protocol';
import { MemoryBus } from '@majlis/server-kit';
import { afterEach, describe, expect, test } from 'vitest';
import { UnavailableError } from '../../../errors.js';
import { createPlacement, isAlive, NODE_TIMEOUT_MS, parseNodes, pickNode } from './placement.js';

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
		expect((await placement.place('r1')).id).toBe('b');
		expect(await bus.get(roomNodeKey('r1'))).toBe('b');
		// b gets busier, but the room stays where it is.
		await bus.hset(SFU_NODES_KEY, { b: JSON.stringify(node('b', { consumers: 900 })) });
		expect((await placement.place('r1')).id).toBe('b');
	});

	test('moves a room off a dead node', async () => {
		await bus.hset(SFU_NODES_KEY, {
			a: JSON.stringify(node('a')),
			b: JSON.stringify(node('b', { seenAt: NOW - NODE_TIMEOUT_MS })),
		});
		await bus.set(roomNodeKey('r1'), 'b');
		expect((await placement.place('r1')).id).toBe('a');
		expect(await bus.get(roomNodeKey('r1'))).toBe('a');
	});

	test('throws UnavailableError (503) when no node is alive', async () => {
		await expect(placement.place('r1')).rejects.toBeInstanceOf(UnavailableError);
		await expect(placement.place('r1')).rejects.toMatchObject({ statusCode: 503, errorCode: 'unavailable' });
	});

	test('forget() clears the room’s node', async () => {
		await bus.set(roomNodeKey('r1'), 'a');
		await placement.forget('r1');
		expect(await bus.get(roomNodeKey('r1'))).toBeNull();
	});
});
