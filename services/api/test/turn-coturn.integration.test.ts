import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { type JoinResponse, SFU_NODES_KEY } from '@majlis/protocol';
import { type Coturn, hasCoturn, startCoturn } from '@majlis/server-kit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { turnCredential } from '../src/plugins/app/sfu/turn-credentials.js';
import {
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	registerNode,
	setup,
	signup,
	type TestUser,
} from './helper.js';

// The credential the API issues, tried on a real coturn (`use-auth-secret`): coturn's own client
// allocates a relay with it and echoes packets through it to coturn's test peer.
const UCLIENT = '/usr/bin/turnutils_uclient';
const PEER = '/usr/bin/turnutils_peer';

async function freeUdpPort(): Promise<number> {
	const socket = createSocket('udp4');
	await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
	const { port } = socket.address();
	await new Promise<void>((resolve) => socket.close(resolve));

	return port;
}

/** Runs turnutils_uclient through the relay to the peer; its exit code and output. */
function relayThrough(turnPort: number, peerPort: number, username: string, credential: string) {
	return new Promise<{ code: number; output: string }>((resolve) => {
		execFile(
			UCLIENT,
			[
				'-p',
				String(turnPort),
				'-u',
				username,
				'-w',
				credential,
				'-e',
				'127.0.0.1',
				'-r',
				String(peerPort),
				'-n',
				'5',
				'-c',
				'127.0.0.1',
			],
			{ timeout: 20_000 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
				resolve({ code, output: `${stdout}${stderr}` });
			}
		);
	});
}

describe.skipIf(!hasCoturn())('TURN credentials on a real coturn', () => {
	let coturn: Coturn;
	let peer: ChildProcess;
	let peerPort: number;
	let h: Harness;
	let listener: TestUser;
	let roomId: string;

	beforeAll(async () => {
		coturn = await startCoturn();
		peerPort = await freeUdpPort();
		peer = spawn(PEER, ['-L', '127.0.0.1', '-p', String(peerPort)], { stdio: 'ignore' });
		// Own Redis database: the fake SFU node goes into the (global) node registry.
		h = await setup({
			bus: createTestBus(15),
			turn: { urls: [coturn.url], secret: coturn.secret, ttlSeconds: 600 },
		});
		await registerNode(h.bus);
		const host = await signup(h.app);
		listener = await signup(h.app);
		const room = await createRoom(h.app, host.token);
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		roomId = room.id;
	});
	afterAll(async () => {
		peer?.kill();
		await h?.bus.del(SFU_NODES_KEY);
		await h?.close();
		await coturn?.stop();
	});

	function turnPort(): number {
		return Number(/:([0-9]+)\?/.exec(coturn.url)![1]);
	}

	test('coturn relays with the credential from the join reply', async () => {
		const res = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${roomId}/join`, {
			token: listener.token,
		});
		const [server] = res.iceServers!;
		expect(server!.urls).toEqual([coturn.url]);
		const run = await relayThrough(turnPort(), peerPort, server!.username, server!.credential);
		expect(run.output).not.toContain('Cannot complete Allocation');
		expect(run.output).toMatch(/tot_recv_msgs=[1-9]/);
		expect(run.code).toBe(0);
		expect(coturn.log()).toContain(`user <${server!.username}>`);
	});

	test('coturn refuses a tampered, a forged and an expired credential', async () => {
		const res = await expectStatus<JoinResponse>(200, h.app, 'POST', `/api/rooms/${roomId}/join`, {
			token: listener.token,
		});
		const { username, credential } = res.iceServers![0]!;
		// Someone else's id under this person's credential.
		const tampered = await relayThrough(
			turnPort(),
			peerPort,
			username.replace(/:.*/, ':someone-else'),
			credential
		);
		expect(tampered.output).toContain('Cannot complete Allocation');
		// The right shape, the wrong secret.
		const forged = turnCredential(
			{ urls: [coturn.url], secret: 'not-the-turn-secret', ttlSeconds: 600 },
			'x',
			Date.now()
		);
		expect((await relayThrough(turnPort(), peerPort, forged.username, forged.credential)).output).toContain(
			'Cannot complete Allocation'
		);
		// Issued with the right secret, but its expiry has passed.
		const expired = turnCredential(
			{ urls: [coturn.url], secret: coturn.secret, ttlSeconds: 600 },
			'x',
			Date.now() - 3_600_000
		);
		expect((await relayThrough(turnPort(), peerPort, expired.username, expired.credential)).output).toContain(
			'Cannot complete Allocation'
		);
	});
});
