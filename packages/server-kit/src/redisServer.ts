import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './freePort.js';

/** A `redis-server` of a test's own (tests of Redis failures and AUTH), on a free port; `stop()` kills it. */
export interface RedisServer {
	readonly port: number;
	/** Kills the server (SIGKILL: a crash, not a shutdown) and waits for it to exit. */
	stop(): Promise<void>;
}

/**
 * Starts Debian's `redis-server` with `args` (no persistence) and waits until it accepts connections;
 * with `tls`, its port speaks TLS only (give the certificate files in `args`).
 */
export async function startRedisServer(args: string[] = [], { tls = false } = {}): Promise<RedisServer> {
	const port = await freePort();
	const ports = tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
	const child: ChildProcess = spawn(
		'redis-server',
		[...ports, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	let output = '';
	await new Promise<void>((resolve, reject) => {
		child.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('Ready to accept connections')) {
				resolve();
			}
		});
		child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
	});

	return {
		port,
		async stop() {
			// A killed process has a signal code and no exit code.
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
				await once(child, 'exit');
			}
		},
	};
}
