import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode } from '@majlis/protocol';
import { createLogger, createTokenService, MemoryBus } from '@majlis/server-kit';
import { afterEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { systemClock } from '../Clock.js';
import type { SfuOptions } from '../SfuTypes.js';
import { createNodeSignalling } from './nodeSignalling.js';
import type { SignallingServer } from './SignallingServer.js';

const secret = 'x'.repeat(32);
let server: Server | undefined;
let signalling: SignallingServer | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
	for (const ws of sockets.splice(0)) {
		ws.terminate();
	}
	await signalling?.close();
	await new Promise((resolve) => server?.close(resolve));
});

// The node's signalling behind a real HTTP server, set up from `options` as createSfu does.
async function listen(options: Partial<SfuOptions>): Promise<string> {
	const full = { bus: new MemoryBus(), nodeId: 'node-1', jwtSecret: secret, ...options } as SfuOptions;
	const current = createNodeSignalling(full, {
		tokens: createTokenService(secret),
		openRoom: () => Promise.reject(new Error('no rooms in this test')),
		clock: systemClock,
		log: createLogger('test', 'silent'),
	});
	signalling = current;
	server = createServer();
	server.on('upgrade', (req, socket, head) => current.handleUpgrade(req, socket, head));
	await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));

	return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

// Opens a socket; resolves once open, or with the HTTP status the upgrade was refused with.
function connect(url: string): Promise<{ ws: WebSocket; status: number | 'open' }> {
	const ws = new WebSocket(url);
	sockets.push(ws);

	return new Promise((resolve, reject) => {
		ws.once('open', () => resolve({ ws, status: 'open' }));
		ws.once('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
		ws.once('error', reject);
	});
}

describe('createNodeSignalling', () => {
	test('a socket that sends no session:join within the configured time is closed as unauthorized', async () => {
		const url = await listen({ joinTimeoutMs: 50 });
		const { ws, status } = await connect(url);
		expect(status).toBe('open');
		const code = await new Promise<number>((resolve) => ws.once('close', resolve));
		expect(code).toBe(CloseCode.Unauthorized);
	});

	test('the configured cap of sockets per client address refuses one more upgrade with 429', async () => {
		const url = await listen({ maxSocketsPerIp: 1 });
		expect((await connect(url)).status).toBe('open');
		expect((await connect(url)).status).toBe(429);
		expect(signalling?.socketsOf('127.0.0.1')).toBe(1);
	});
});
