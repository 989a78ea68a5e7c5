// The processes a benchmark run starts (the API, SFU nodes) on the shared ServiceProcess supervision,
// plus what only the benchmark needs: each node's mediasoup worker pids for /proc sampling, and one list
// of everything started so an interrupted or failed run leaves nothing behind; with a CPU plan, the
// generator and each worker on cores of their own (cpus.ts).
import { randomUUID } from 'node:crypto';
import { freePort } from '@majlis/server-kit';
import { ApiProcess, type ChildService, SfuProcess } from '../ServiceProcess.js';
import { CoreAllocator, type CpuPlan, pin } from './cpus.js';
import { comm, descendants } from './procfs.js';

/** Shared by the API, the SFU nodes and the bots' tickets. */
export const JWT_SECRET = 'majlis-bench-secret-at-least-32-bytes-long';

// Generous: a node started after a heavy phase may wait for a busy machine.
const LAUNCH = { inheritEnv: true, echoStderr: true, startTimeoutMs: 180_000 } as const;

/** An SFU node under measurement. */
export type BenchNode = {
	proc: SfuProcess;
	/** The node's Node.js process. */
	pid: number;
	nodeId: string;
	/** Signalling WebSocket URL. */
	url: string;
	/** Its mediasoup worker processes (one thread each: 100 % CPU = one core). */
	workers: number[];
	/** The core each worker is pinned to (empty without a CPU plan). */
	cores: number[];
	/** The Node process's inspector (`http://127.0.0.1:<port>`), for its live memory (see liveMemory.ts). */
	inspectUrl: string;
};

/** Everything a run started, stopped in reverse order at the end or on SIGINT/SIGTERM. */
export class Supervisor {
	readonly #started: ChildService[] = [];
	readonly #cores: CoreAllocator | undefined;
	readonly #generator: readonly number[];
	readonly #all: readonly number[];

	/** With `plan`, pins this process (and so what it starts) to the generator's cores first. */
	constructor(plan?: CpuPlan) {
		this.#generator = plan?.generator ?? [];
		this.#all = plan?.all ?? [];
		if (plan) {
			pin(process.pid, plan.generator);
			this.#cores = new CoreAllocator(plan);
		}
		for (const signal of ['SIGINT', 'SIGTERM'] as const) {
			process.once(signal, () => {
				for (const p of this.#started) {
					p.kill('SIGTERM');
				}
				process.exit(130);
			});
		}
	}

	/** Starts the API on `databaseUrl` and Redis. */
	async startApi(databaseUrl: string, redisUrl: string): Promise<ApiProcess> {
		return this.#track(await ApiProcess.start({ databaseUrl, redisUrl, jwtSecret: JWT_SECRET }, LAUNCH));
	}

	/** Starts an SFU node that allows plain transports (the bots' sinks), `env` adds settings. */
	async startNode(apiUrl: string, redisUrl: string, env: Record<string, string>): Promise<BenchNode> {
		const inspectPort = await freePort();
		const proc = this.#track(
			await SfuProcess.start(
				{
					nodeId: `bench-${randomUUID().slice(0, 8)}`,
					apiUrl,
					redisUrl,
					jwtSecret: JWT_SECRET,
					env: { SFU_ALLOW_PLAIN_TRANSPORTS: '1', SFU_MAX_SOCKETS_PER_IP: '0', LOG_LEVEL: 'warn', ...env },
				},
				{ ...LAUNCH, nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`] }
			)
		);
		const workers = descendants(proc.pid).filter((p) => comm(p).startsWith('mediasoup'));
		const cores: number[] = [];
		if (this.#cores) {
			for (const w of workers) {
				const core = this.#cores.take();
				pin(w, [core]);
				cores.push(core);
			}
		}
		const inspectUrl = `http://127.0.0.1:${inspectPort}`;
		return { proc, pid: proc.pid, nodeId: proc.nodeId, url: proc.wsUrl, workers, cores, inspectUrl };
	}

	/**
	 * Puts another measured process (the floor forwarder, Janus) on a worker core of its own, as a worker
	 * would be; it would otherwise inherit the generator's. Returns what gives the core back once it stops.
	 */
	placeMeasured(pid: number): () => void {
		if (!this.#cores) {
			return () => undefined;
		}
		const core = this.#cores.take();
		pin(pid, [core]);
		return () => this.#cores?.release([core]);
	}

	/**
	 * Moves a node's Node process (its signalling) onto the node's worker cores while a phase measures
	 * signalling rather than media, so the generator's sockets do not queue with what they measure.
	 * Returns what puts it back with the generator.
	 */
	measureSignalling(node: BenchNode): () => void {
		if (!this.#cores || node.cores.length === 0) {
			return () => undefined;
		}
		pin(node.pid, node.cores);
		return () => pin(node.pid, this.#generator);
	}

	/**
	 * Runs `start` with this process allowed on every core, so what it spawns (a browser standing for
	 * listeners' own devices) is not confined to the generator's core; then pins this process back.
	 */
	async unconfined<T>(start: () => Promise<T>): Promise<T> {
		if (this.#all.length === 0) {
			return start();
		}
		pin(process.pid, this.#all);
		try {
			return await start();
		} finally {
			pin(process.pid, this.#generator);
		}
	}

	/** Stops a node gracefully (SIGTERM, so a relay tells its origin the link is gone); frees its cores. */
	async stop(node: BenchNode): Promise<void> {
		await node.proc.terminate();
		this.#cores?.release(node.cores);
	}

	/** Stops everything still running, the last started first. */
	async stopAll(): Promise<void> {
		for (const p of [...this.#started].reverse()) {
			await p.terminate();
		}
	}

	#track<T extends ChildService>(p: T): T {
		this.#started.push(p);
		return p;
	}
}
