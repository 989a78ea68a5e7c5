import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const SFU_DIR = fileURLToPath(new URL('../..', import.meta.url));

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));

	return port;
}

/**
 * A standalone SFU node as its own process (`src/main.ts` through tsx), registered in Redis like a
 * deployed node, so tests can SIGKILL or SIGTERM it.
 */
export class SfuProcess {
	readonly nodeId: string;
	readonly httpUrl: string;
	readonly child: ChildProcess;
	/** Resolves with the exit code (or signal) when the process ends. */
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	#output = '';

	private constructor(nodeId: string, httpUrl: string, child: ChildProcess) {
		this.nodeId = nodeId;
		this.httpUrl = httpUrl;
		this.child = child;
		child.stdout?.on('data', (chunk: Buffer) => {
			this.#output = (this.#output + chunk.toString()).slice(-20_000);
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			this.#output = (this.#output + chunk.toString()).slice(-20_000);
		});
		this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	}

	/** Starts a node and waits until `/health` answers. */
	static async start(options: {
		nodeId: string;
		apiUrl: string;
		redisUrl: string;
		jwtSecret: string;
	}): Promise<SfuProcess> {
		const port = await freePort();
		const httpUrl = `http://127.0.0.1:${port}`;
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
			cwd: SFU_DIR,
			env: {
				PATH: process.env.PATH,
				SFU_NODE_ID: options.nodeId,
				SFU_PUBLIC_URL: `ws://127.0.0.1:${port}/ws`,
				PORT: String(port),
				HOST: '127.0.0.1',
				API_URL: options.apiUrl,
				REDIS_URL: options.redisUrl,
				JWT_SECRET: options.jwtSecret,
				MEDIASOUP_NUM_WORKERS: '1',
				MEDIASOUP_LISTEN_IP: '127.0.0.1',
				LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const node = new SfuProcess(options.nodeId, httpUrl, child);
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) {
				throw new Error(`SFU process exited (${child.exitCode}): ${node.output}`);
			}
			const ok = await fetch(`${httpUrl}/health`).then(
				(r) => r.ok,
				() => false
			);
			if (ok) {
				return node;
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		child.kill('SIGKILL');
		throw new Error(`SFU process did not start: ${node.output}`);
	}

	/** What the process logged (last 20 kB). */
	get output(): string {
		return this.#output;
	}

	/** Sends a signal. */
	kill(signal: NodeJS.Signals): void {
		this.child.kill(signal);
	}

	/** Kills the process if it still runs (and its mediasoup worker with it). */
	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			this.child.kill('SIGKILL');
			await this.exited;
		}
	}
}
