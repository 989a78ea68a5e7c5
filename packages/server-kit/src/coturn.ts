import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';

/** coturn's server binary (Debian package `coturn`); override with TURNSERVER_PATH. */
export const TURNSERVER_PATH = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

/** Whether coturn is installed (the bootstrap installs it: scripts/majlis.mjs). */
export function hasCoturn(): boolean {
	return existsSync(TURNSERVER_PATH);
}

/** A coturn running on loopback for one test file. */
export interface Coturn {
	/** TURN URL browsers use (`turn:127.0.0.1:<port>?transport=udp`). */
	readonly url: string;
	/** The `static-auth-secret` (give it to Majlis as TURN_SECRET). */
	readonly secret: string;
	/** Everything coturn logged so far. */
	log(): string;
	/** Stops coturn and deletes its directory. */
	stop(): Promise<void>;
}

// A port free for both UDP and TCP on loopback (coturn listens on both).
async function freeTcpAndUdpPort(): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await freePort();
		const udpFree = await new Promise<boolean>((resolve) => {
			const socket = createSocket('udp4');
			socket.once('error', () => resolve(false));
			socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
		});
		if (udpFree) {
			return port;
		}
	}
	throw new Error('no free port for coturn');
}

async function listening(port: number, deadline: number): Promise<void> {
	while (Date.now() < deadline) {
		const ok = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (ok) {
			return;
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`coturn did not listen on ${port}`);
}

/**
 * Starts a real coturn on 127.0.0.1: TURN REST credentials (`use-auth-secret`) with a fresh secret, its
 * own config, database and pid file in a temp dir, a free listening port and a relay port range.
 * Test-only settings: `allow-loopback-peers` (the SFU announces 127.0.0.1 here), no TLS; production
 * configs deny loopback and private peers (see docs/operations.md#turn).
 */
export async function startCoturn(): Promise<Coturn> {
	const dir = await mkdtemp(join(tmpdir(), 'majlis-coturn-'));
	const secret = randomBytes(24).toString('base64url');
	const port = await freeTcpAndUdpPort();
	// 100 relay ports somewhere in 50000..59999; coturn skips ports it cannot bind.
	const minPort = 50_000 + Math.floor(Math.random() * 99) * 100;
	const config = [
		'listening-ip=127.0.0.1',
		'relay-ip=127.0.0.1',
		`listening-port=${port}`,
		`min-port=${minPort}`,
		`max-port=${minPort + 99}`,
		'use-auth-secret',
		`static-auth-secret=${secret}`,
		'realm=majlis.test',
		'fingerprint',
		'no-tls',
		'no-dtls',
		'no-cli',
		'no-multicast-peers',
		'allow-loopback-peers',
		'no-software-attribute',
		`pidfile=${join(dir, 'turnserver.pid')}`,
		`userdb=${join(dir, 'turndb')}`,
		'log-file=stdout',
		'simple-log',
		'verbose',
	];
	const configFile = join(dir, 'turnserver.conf');
	await writeFile(configFile, `${config.join('\n')}\n`, { mode: 0o600 });
	let output = '';
	const child: ChildProcess = spawn(TURNSERVER_PATH, ['-c', configFile], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	try {
		await Promise.race([
			listening(port, Date.now() + 15_000),
			exited.then(() => {
				throw new Error(`coturn exited at start:\n${output}`);
			}),
		]);
	} catch (error) {
		child.kill('SIGKILL');
		await rm(dir, { recursive: true, force: true });
		throw error;
	}

	return {
		url: `turn:127.0.0.1:${port}?transport=udp`,
		secret,
		log: () => output,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
				await exited;
				clearTimeout(timer);
			}
			await rm(dir, { recursive: true, force: true });
		},
	};
}
