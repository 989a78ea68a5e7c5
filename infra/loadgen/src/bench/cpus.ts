// CPU placement: the generator (bots, sinks, the API and the SFU's Node process, which inherit its
// affinity) on core 0 and each mediasoup worker on a core of its own, so the worker's core measures the
// SFU and not the load generator competing with it. Linux only (taskset from util-linux).
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Which cores the generator and the workers get; `undefined`: no pinning. */
export type CpuPlan = { generator: number[]; workers: number[]; all: number[] };

/** Pinning on when asked and there are at least two cores and taskset. */
export function planCpus(mode: 'auto' | 'off'): CpuPlan | undefined {
	const n = availableParallelism();
	if (mode === 'off' || n < 2 || !hasTaskset()) {
		return undefined;
	}
	const all = Array.from({ length: n }, (_, i) => i);
	return { generator: [0], workers: all.slice(1), all };
}

function hasTaskset(): boolean {
	try {
		execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Sets the affinity of every thread of `pid` (libuv's pool, the worker's threads) to `cores`. */
export function pin(pid: number, cores: readonly number[]): void {
	execFileSync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { stdio: 'ignore' });
}

/**
 * Hands out cores to workers as nodes start: a free worker core while there is one, else the least busy
 * of all cores (the pipe and relay phases on a 2-core machine share the generator's). `release` gives a
 * stopped node's cores back.
 */
export class CoreAllocator {
	readonly #plan: CpuPlan;
	readonly #load = new Map<number, number>();

	constructor(plan: CpuPlan) {
		this.#plan = plan;
	}

	/** A core for one more worker. */
	take(): number {
		const free = this.#plan.workers.find((c) => !this.#load.get(c));
		const core =
			free ?? [...this.#plan.all].sort((a, b) => (this.#load.get(a) ?? 0) - (this.#load.get(b) ?? 0))[0]!;
		this.#load.set(core, (this.#load.get(core) ?? 0) + 1);
		return core;
	}

	/** Gives back cores taken for workers that stopped. */
	release(cores: readonly number[]): void {
		for (const c of cores) {
			this.#load.set(c, Math.max(0, (this.#load.get(c) ?? 0) - 1));
		}
	}
}
