// What every phase runs on: Redis checked, a fresh database, the cores planned, the native sink, the API
// and a signed-up host; everything stopped again when the phases are done or fail.
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { createBus, createTestDatabase } from '@majlis/server-kit';
import { loadOpusPackets } from '../opusPackets.js';
import { rest } from '../rest.js';
import type { BenchOptions } from './cli.js';
import type { BenchContext } from './context.js';
import { planCpus } from './cpus.js';
import { out } from './output.js';
import { JWT_SECRET, Supervisor } from './processes.js';
import { PROBE_EVERY, startSharedSinks, stopSharedSinks } from './sinks.js';

/** Sets up a run, gives `phases` its context, and tears the run down whatever happens. */
export async function withRun(
	options: BenchOptions,
	phases: (ctx: BenchContext) => Promise<void>
): Promise<void> {
	const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
	// The bench's processes share JWT_SECRET, so the bus key derives from it as theirs does.
	const bus = createBus(redisUrl, { secret: JWT_SECRET });
	try {
		await bus.set('majlis:bench:ping', '1', 1000);
	} catch {
		await bus.close().catch(() => undefined);
		throw new Error(
			`the benchmark runs the API and SFU as separate processes and needs Redis: none at ${redisUrl} (set REDIS_URL)`
		);
	}
	// A fresh database on DATABASE_URL's server, else an embedded PGlite the API process connects to.
	const db = await createTestDatabase();
	const cpuPlan = planCpus(options.pin);
	const procs = new Supervisor(cpuPlan);
	// Started after the pinning, so the native sink runs on the generator's core.
	const shared = await startSharedSinks(options.sink);
	try {
		const packets = await loadOpusPackets();
		const api = await procs.startApi(db.url, redisUrl);
		const host = await rest<{ token: string }>(api.httpUrl, 'POST', '/api/auth/signup', undefined, {
			handle: `host_${randomUUID().slice(0, 6)}`,
			displayName: 'Bench host',
			password: 'correct horse battery staple',
		});
		out(`# machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
		out(
			cpuPlan
				? `# cores: generator, API and SFU Node processes on ${cpuPlan.generator}, workers on ${cpuPlan.workers} (then shared)`
				: '# cores: not pinned'
		);
		out(
			shared
				? `# sinks: native (${shared.native.ports.length} sockets), a Node sink every ${PROBE_EVERY}th listener`
				: '# sinks: Node'
		);
		await phases({
			options,
			apiUrl: api.httpUrl,
			redisUrl,
			bus,
			packets,
			hostToken: host.token,
			procs,
			shared,
		});
	} finally {
		await procs.stopAll();
		await stopSharedSinks(shared);
		await bus.close();
		await db.stop();
	}
}

/** Runs a phase whose failure is reported, not fatal (its summary fields are then null or absent). */
export async function optional<T>(name: string, phase: () => Promise<T>): Promise<T | undefined> {
	try {
		return await phase();
	} catch (error) {
		out(`# ${name} phase: failed: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	}
}
