import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Janus (Debian's `janus` package) as a benchmark peer: a private configuration in a temporary folder
// (only the HTTP transport on 127.0.0.1, only the VideoRoom and AudioBridge plugins), never the system
// service. Janus links Debian's libsrtp2 (NSS); `libsrtpDir` swaps in one built with OpenSSL.

const LIB = '/usr/lib/x86_64-linux-gnu/janus';
const OTHER_PLUGINS = [
	'voicemail',
	'recordplay',
	'sip',
	'nosip',
	'streaming',
	'textroom',
	'videocall',
	'echotest',
	'lua',
	'duktape',
];
const OTHER_TRANSPORTS = ['websockets', 'pfunix', 'mqtt', 'nanomsg', 'rabbitmq'];

/** Whether Debian's janus package is installed (`apt-get install janus`). */
export function janusInstalled(): boolean {
	return existsSync('/usr/bin/janus') && existsSync(join(LIB, 'plugins', 'libjanus_videoroom.so'));
}

async function freeTcpPort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	server.close();
	await once(server, 'close');
	return port;
}

const libraries = (names: readonly string[]): string => names.map((n) => `libjanus_${n}.so`).join(',');

/** A Janus process with its HTTP API on 127.0.0.1. */
export class JanusProcess {
	readonly #child: ChildProcess;
	readonly #dir: string;
	/** Base URL of the Janus HTTP API (`…/janus`). */
	readonly url: string;

	/**
	 * Writes the configuration, starts Janus and waits until its HTTP API answers. `libsrtpDir`: a folder
	 * whose libsrtp2.so.1 replaces Debian's (LD_LIBRARY_PATH), e.g. one built with OpenSSL.
	 */
	static async start(options: { libsrtpDir?: string } = {}): Promise<JanusProcess> {
		const dir = mkdtempSync(join(tmpdir(), 'majlis-janus-'));
		const port = await freeTcpPort();
		writeFileSync(
			join(dir, 'janus.jcfg'),
			`general: {
	configs_folder = "${dir}"
	plugins_folder = "${LIB}/plugins"
	transports_folder = "${LIB}/transports"
	events_folder = "${LIB}/events"
	loggers_folder = "${LIB}/loggers"
	log_to_file = "${join(dir, 'janus.log')}"
	log_to_stdout = false
	debug_level = 3
	session_timeout = 0
}
nat: { ignore_mdns = true }
plugins: { disable = "${libraries(OTHER_PLUGINS)}" }
transports: { disable = "${libraries(OTHER_TRANSPORTS)}" }
events: { broadcast = false }
loggers: { disable = "libjanus_jsonlog.so" }
`
		);
		writeFileSync(
			join(dir, 'janus.transport.http.jcfg'),
			`general: { base_path = "/janus" http = true port = ${port} ip = "127.0.0.1" https = false }
admin: { admin_http = false }
`
		);
		// No static rooms: the benchmark creates its own. Plain RTP legs on loopback.
		writeFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), 'general: { }\n');
		writeFileSync(
			join(dir, 'janus.plugin.audiobridge.jcfg'),
			'general: { local_ip = "127.0.0.1" rtp_port_range = "30000-39999" }\n'
		);
		const env = options.libsrtpDir ? { ...process.env, LD_LIBRARY_PATH: options.libsrtpDir } : process.env;
		const child = spawn('janus', ['-C', join(dir, 'janus.jcfg'), '-F', dir], { stdio: 'ignore', env });
		const janus = new JanusProcess(child, dir, `http://127.0.0.1:${port}/janus`);
		for (let i = 0; i < 100; i++) {
			if (child.exitCode !== null) {
				break;
			}
			try {
				const res = await fetch(`${janus.url}/info`);
				if (res.ok) {
					return janus;
				}
			} catch {
				// not listening yet
			}
			await sleep(100);
		}
		const log = janus.log().split('\n').slice(-20).join('\n');
		await janus.stop();
		throw new Error(`janus did not start its HTTP API within 10 s:\n${log}`);
	}

	private constructor(child: ChildProcess, dir: string, url: string) {
		this.#child = child;
		this.#dir = dir;
		this.url = url;
	}

	/** Process id (its threads' CPU is the process's). */
	get pid(): number {
		return this.#child.pid!;
	}

	/** Janus's log so far. */
	log(): string {
		const file = join(this.#dir, 'janus.log');
		return existsSync(file) ? readFileSync(file, 'utf8') : '';
	}

	/** Stops Janus (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
	async stop(): Promise<void> {
		if (this.#child.exitCode === null && this.#child.signalCode === null) {
			const exited = once(this.#child, 'exit');
			this.#child.kill('SIGTERM');
			const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
		rmSync(this.#dir, { recursive: true, force: true });
	}
}
