// Runs infra/bench's C programs (floor.c, sink.c): builds them once per machine with infra/bench/build.sh
// and reads their JSON lines (the ready line on stderr, results on stdout).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const buildScript = fileURLToPath(new URL('../../bench/build.sh', import.meta.url));
let built: string | undefined;

function builtDir(): string {
	built ??= execFileSync('bash', [buildScript], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	return built;
}

/** Path of one of infra/bench's programs, built (or taken from the cache) on first use. */
export function benchProgram(name: 'floor' | 'sink'): string {
	return join(builtDir(), name);
}

/** The folder holding a libsrtp2.so.1 built with OpenSSL (infra/bench/build.sh), if it could be built. */
export function opensslLibsrtpDir(): string | undefined {
	const dir = join(builtDir(), 'libsrtp2-openssl');
	return existsSync(join(dir, 'libsrtp2.so.1')) ? dir : undefined;
}

/** A running C program: its first stderr JSON line, and its stdout JSON lines as they come. */
export class NativeProcess<Line> {
	readonly #child: ChildProcess;
	readonly #lines: Line[] = [];
	readonly #waiting: ((line: Line) => void)[] = [];
	readonly #exited: Promise<void>;

	/** Starts `program` with `args` and resolves once it printed its ready line (it bound its sockets). */
	static async start<Ready, Line>(
		program: string,
		args: readonly string[]
	): Promise<[NativeProcess<Line>, Ready]> {
		const proc = new NativeProcess<Line>(spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
		const child = proc.#child;
		const stderr = createInterface({ input: child.stderr! });
		let other = '';
		const ready = await new Promise<Ready>((resolve, reject) => {
			stderr.on('line', (line) => {
				if (line.startsWith('{')) {
					resolve(JSON.parse(line) as Ready);
				} else {
					other += `${line}\n`;
				}
			});
			child.once('error', reject);
			child.once('exit', (code) => reject(new Error(`${program} exited with ${code}: ${other.trim()}`)));
		});
		return [proc, ready];
	}

	private constructor(child: ChildProcess) {
		this.#child = child;
		this.#exited = once(child, 'exit').then(() => undefined);
		createInterface({ input: child.stdout! }).on('line', (line) => {
			const parsed = JSON.parse(line) as Line;
			const waiter = this.#waiting.shift();
			if (waiter) {
				waiter(parsed);
			} else {
				this.#lines.push(parsed);
			}
		});
	}

	/** Process id (for /proc CPU sampling). */
	get pid(): number {
		return this.#child.pid!;
	}

	/** Sends a signal (the programs use SIGUSR1/SIGUSR2/SIGTERM as commands). */
	signal(signal: NodeJS.Signals): void {
		this.#child.kill(signal);
	}

	/** Writes one command line to its stdin. */
	command(line: string): void {
		this.#child.stdin!.write(`${line}\n`);
	}

	/** The next stdout JSON line (already printed or still to come). */
	nextLine(timeoutMs = 30_000): Promise<Line> {
		const queued = this.#lines.shift();
		if (queued) {
			return Promise.resolve(queued);
		}
		return new Promise<Line>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms`)), timeoutMs);
			this.#waiting.push((line) => {
				clearTimeout(timer);
				resolve(line);
			});
		});
	}

	/** Waits for the process to exit (after its last line, or a signal). */
	exited(): Promise<void> {
		return this.#exited;
	}

	/** Kills it if still running. */
	async kill(): Promise<void> {
		if (this.#child.exitCode === null && this.#child.signalCode === null) {
			this.#child.kill('SIGKILL');
			await this.#exited;
		}
	}
}
