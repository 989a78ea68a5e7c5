import { ErrorCode, sfuNodeChannel } from '@majlis/protocol';
import { createBus, createLogger } from '@majlis/server-kit';
import { afterEach, expect, test } from 'vitest';
import { BannedError } from '../errors.js';
import { NodeBus, type NodeMessageHandler, type NodeRequestHandler, RemoteError } from './NodeBus.js';

const ROOM = '0d3c2c0e-7a3b-4f4e-9a57-6a4f2a1d9e01';
const log = createLogger('test', 'silent');
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
	for (const close of closers.splice(0).reverse()) {
		await close();
	}
});

// Two nodes on one bus: Redis with REDIS_URL (like separate processes), else the in-process MemoryBus.
async function pair(
	onRequest: NodeRequestHandler,
	onMessage: NodeMessageHandler = () => {},
	timeoutMs = 5000
) {
	const bus = createBus(process.env.REDIS_URL, { secret: 'majlis-node-bus-test-secret-of-32-bytes' });
	const suffix = Math.random().toString(36).slice(2);
	const origin = await NodeBus.create({ bus, nodeId: `origin-${suffix}`, onRequest, onMessage, log });
	const relay = await NodeBus.create({
		bus,
		nodeId: `relay-${suffix}`,
		onRequest: async () => {
			throw new Error('unused');
		},
		onMessage: () => {},
		log,
		timeoutMs,
	});
	closers.push(async () => {
		await relay.close();
		await origin.close();
		await bus.close();
	});

	return { bus, origin, relay, originId: `origin-${suffix}` };
}

test('a request is answered; a wire error comes back with its code', async () => {
	const { relay, originId } = await pair((async (op: string, _from: string, data: { ticket: string }) => {
		if (op === 'peer:join' && data.ticket === 'banned-ticket') {
			throw new BannedError('you were removed from this room');
		}

		return { snapshot: { ok: true } };
	}) as NodeRequestHandler);
	await expect(
		relay.request(originId, 'peer:join', { roomId: ROOM, connId: '1', ticket: 'banned-ticket' })
	).rejects.toMatchObject({ code: ErrorCode.Banned, message: 'you were removed from this room' });
	const reply = await relay.request(originId, 'peer:join', {
		roomId: ROOM,
		connId: '2',
		ticket: 'another-ticket',
	});
	expect(reply).toEqual({ snapshot: { ok: true } });
});

test('an unexpected failure is an internal error without its message', async () => {
	const { relay, originId } = await pair(async () => {
		throw new Error('secret detail');
	});
	const error = await relay
		.request(originId, 'peer:request', { roomId: ROOM, connId: '1', type: 'hand:raise', data: {} })
		.catch((e: unknown) => e);
	expect(error).toBeInstanceOf(RemoteError);
	expect(error).toMatchObject({ code: ErrorCode.Internal });
	expect((error as Error).message).not.toContain('secret');
});

test('invalid payloads are refused on receipt, garbage is ignored, and a silent node times out', async () => {
	const seen: string[] = [];
	const { bus, relay, originId } = await pair(
		(async (op: string) => {
			seen.push(op);

			return { data: {} };
		}) as NodeRequestHandler,
		(op) => seen.push(op),
		300
	);
	// A request whose payload does not match its schema never reaches the handler.
	await expect(
		relay.request(originId, 'peer:request', { roomId: 'not-a-uuid', connId: '1', type: 'x', data: {} })
	).rejects.toMatchObject({ code: ErrorCode.BadRequest });
	// Not JSON, a bad envelope, an unknown op, an invalid message: dropped, the node keeps answering.
	for (const raw of [
		'{',
		'{"kind":"msg"}',
		'{"kind":"msg","from":"x","op":"nope","data":{}}',
		'{"kind":"msg","from":"x","op":"link:close","data":{}}',
	]) {
		await bus.publish(sfuNodeChannel(originId), raw);
	}
	relay.send(originId, 'link:close', { roomId: ROOM });
	await expect.poll(() => seen).toEqual(['link:close']);
	await expect(
		relay.request(originId, 'peer:request', { roomId: ROOM, connId: '1', type: 'hand:raise', data: {} })
	).resolves.toEqual({ data: {} });
	// Nobody listens on this node's channel.
	await expect(
		relay.request('nobody', 'link:open', { roomId: ROOM, pipe: { ip: '127.0.0.1', port: 40000 } })
	).rejects.toMatchObject({ code: ErrorCode.Unavailable });
});
