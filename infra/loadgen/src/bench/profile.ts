// `--profile`: where the worker's CPU goes, sampled with Linux perf (`perf record -g` on the worker's pid,
// the cpu-clock event where the VM offers no hardware counters) during a measured window, and summarised
// by shared object and symbol, so the "what limits it" part of docs/benchmarks.md rests on a profile.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Samples per second: enough for a few-second window, cheap enough not to move the figures. */
const FREQUENCY_HZ = 499;
/** Lines of the summary kept (symbols above this share). */
const MIN_PERCENT = 1;

/** A perf recording of one process, started by {@link startProfile}. */
export type Profile = { stop(): Promise<string[]> };

/** Starts sampling `pid` with call graphs; `stop()` ends it and returns the summary lines. */
export function startProfile(pid: number): Profile {
	const dir = mkdtempSync(join(tmpdir(), 'majlis-perf-'));
	const data = join(dir, 'perf.data');
	const child: ChildProcess = spawn(
		'perf',
		['record', '-F', String(FREQUENCY_HZ), '-g', '-p', String(pid), '-o', data, '--quiet'],
		{ stdio: 'ignore' }
	);
	let failed: Error | undefined;
	const exited = new Promise<void>((resolve) => {
		child.once('exit', () => resolve());
		child.once('error', (error) => {
			failed = error;
			resolve();
		});
	});

	return {
		async stop() {
			child.kill('SIGINT');
			await exited;
			if (failed) {
				rmSync(dir, { recursive: true, force: true });

				return [`perf could not run (${failed.message}): install Debian's linux-perf`];
			}
			const report = spawnSync(
				'perf',
				[
					'report',
					'-i',
					data,
					'--stdio',
					'--no-children',
					'--sort',
					'dso,symbol',
					'--percent-limit',
					String(MIN_PERCENT),
					'-g',
					'none',
				],
				{ encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }
			);
			rmSync(dir, { recursive: true, force: true });

			return report.stdout
				.split('\n')
				.filter((line) => line.trim() !== '' && !line.startsWith('#'))
				.map((line) => line.replace(/\s+/g, ' ').trim());
		},
	};
}
