// Majlis services started as their own processes (the API, SFU nodes), for tests that kill them and for
// the capacity benchmark, which measures them from outside. One supervision for both: free port, spawn
// through Node with tsx loaded, wait for the health route, keep the output for error messages, stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@majlis/server-kit';

const SFU_DIR = fileURLToPath(new URL('../../../services/sfu', import.meta.url));
const API_DIR = fileURLToPath(new URL('../../../services/api', import.meta.url));

const INSPECTOR_NOTICE = /^(Debugger (listening|attached|ending)|For help, see: https:\/\/nodejs\.org).*\n/gm;

/** How a service process is started beyond its own settings. */
export type LaunchOptions = {
	/** Pass this process's environment on (the benchmark: worker binary, cache dirs); tests start clean. */
	inheritEnv?: boolean;
	/** Also copy the service's stderr to this process's stderr (its warnings show in a benchmark run). */
	echoStderr?: boolean;
	/** How long `healthPath` may take to answer (default 30 s). */
	startTimeoutMs?: number;
	/** Node options before the entry (the benchmark's inspector, which reads a node's live memory). */
	nodeArgs?: readonly string[];
};

/** A service started as its own process through tsx, with its output kept for error messages. */
export class ChildService {
	/** `http://127.0.0.1:<port>`. */
	readonly httpUrl: string;
	/** The Node process itself (tsx is loaded into it, so its pid is the service's). */
	readonly child: ChildProcess;
	/** Resolves with the exit code (or signal) when the process ends. */
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	#output = '';

	protected constructor(httpUrl: string, child: ChildProcess) {
		this.httpUrl = httpUrl;
		this.child = child;
		const keep = (chunk: Buffer) => {
			this.#output = (this.#output + chunk.toString()).slice(-20_000);
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	}

	/** Spawns `entry` in `cwd` on a free port, then waits until `healthPath` answers. */
	protected static async launch<T extends ChildService>(
		make: (httpUrl: string, child: ChildProcess) => T,
		cwd: string,
		entry: string,
		env: (port: number) => Record<string, string>,
		healthPath: string,
		options: LaunchOptions = {}
	): Promise<T> {
		const port = await freePort();
		const httpUrl = `http://127.0.0.1:${port}`;
		const base = options.inheritEnv ? process.env : { PATH: process.env.PATH };
		// Node itself with tsx loaded (not the tsx CLI, whose child process a SIGKILL would not reach).
		const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], {
			cwd,
			env: { ...base, PORT: String(port), HOST: '127.0.0.1', ...env(port) },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		if (options.echoStderr) {
			// Not the inspector's own notices (the benchmark attaches to read live memory).
			child.stderr?.on('data', (chunk: Buffer) => {
				const text = String(chunk).replace(INSPECTOR_NOTICE, '');
				if (text) {
					process.stderr.write(text);
				}
			});
		}
		const service = make(httpUrl, child);
		const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
		while (Date.now() < deadline) {
			if (child.exitCode !== null) {
				throw new Error(`${entry} exited (${child.exitCode}): ${service.output}`);
			}
			const ok = await fetch(`${httpUrl}${healthPath}`).then(
				(r) => r.ok,
				() => false
			);
			if (ok) {
				return service;
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		child.kill('SIGKILL');
		throw new Error(`${entry} did not start: ${service.output}`);
	}

	/** What the process logged (last 20 kB). */
	get output(): string {
		return this.#output;
	}

	/** The process id (the Node process that runs the service). */
	get pid(): number {
		return this.child.pid!;
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

	/** Asks the process to shut down (SIGTERM: it closes its rooms and links), SIGKILL after `graceMs`. */
	async terminate(graceMs = 8000): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) {
			return;
		}
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
	}
}

/**
 * A standalone SFU node as its own process (`services/sfu/src/main.ts` through tsx), registered in Redis
 * like a deployed node, so tests can SIGKILL or SIGTERM it.
 */
export class SfuProcess extends ChildService {
	/** This node's id in the registry. */
	readonly nodeId: string;

	private constructor(nodeId: string, httpUrl: string, child: ChildProcess) {
		super(httpUrl, child);
		this.nodeId = nodeId;
	}

	/** The signalling WebSocket URL clients use (the node's SFU_PUBLIC_URL). */
	get wsUrl(): string {
		return `${this.httpUrl.replace('http', 'ws')}/ws`;
	}

	/** Starts a node and waits until `/health` answers; `env` adds settings (SFU_CAPACITY…). */
	static async start(
		options: {
			nodeId: string;
			apiUrl: string;
			redisUrl: string;
			jwtSecret: string;
			env?: Record<string, string>;
		},
		launch?: LaunchOptions
	): Promise<SfuProcess> {
		return ChildService.launch(
			(httpUrl, child) => new SfuProcess(options.nodeId, httpUrl, child),
			SFU_DIR,
			'src/main.ts',
			(port) => ({
				SFU_NODE_ID: options.nodeId,
				SFU_PUBLIC_URL: `ws://127.0.0.1:${port}/ws`,
				API_URL: options.apiUrl,
				REDIS_URL: options.redisUrl,
				JWT_SECRET: options.jwtSecret,
				MEDIASOUP_NUM_WORKERS: '1',
				MEDIASOUP_LISTEN_IP: '127.0.0.1',
				LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
				...options.env,
			}),
			'/health',
			launch
		);
	}
}

/** A standalone API process (`services/api/src/server.ts`) on a shared Postgres and Redis. */
export class ApiProcess extends ChildService {
	/** Starts an API and waits until `/api/health` answers. */
	static async start(
		options: {
			databaseUrl: string;
			redisUrl: string;
			jwtSecret: string;
		},
		launch?: LaunchOptions
	): Promise<ApiProcess> {
		return ChildService.launch(
			(httpUrl, child) => new ApiProcess(httpUrl, child),
			API_DIR,
			'src/server.ts',
			() => ({
				DATABASE_URL: options.databaseUrl,
				REDIS_URL: options.redisUrl,
				JWT_SECRET: options.jwtSecret,
				LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
				// @fastify/autoload detects tsx only when preloaded by its CLI; `--import tsx` needs saying so.
				FASTIFY_AUTOLOAD_TYPESCRIPT: '1',
			}),
			'/api/health',
			launch
		);
	}
}
