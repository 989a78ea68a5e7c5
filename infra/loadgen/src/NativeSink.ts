import { benchProgram, NativeProcess } from './nativeProcess.js';
import type { SrtpCryptoSuite } from './SrtpContext.js';

/** Totals a native sink prints (see infra/bench/sink.c). */
export type NativeSinkTotals = {
	final: boolean;
	seconds: number;
	/** Distinct SSRCs seen: one per listener and speaker. */
	streams: number;
	packets: number;
	bytes: number;
	expected: number;
	lost: number;
	lossPct: number;
	latencySamples: number;
	latencyP50Ms: number;
	latencyP99Ms: number;
	latencyMaxMs: number;
	verified: number;
	authFailures: number;
	/** The sink's own CPU over the window, µs. */
	cpuUs: number;
	usPerPacket: number;
	perSsrc?: { ssrc: number; packets: number; lost: number; latencyMeanMs: number; latencyMaxMs: number }[];
};

/** Options of a `NativeSink`. */
export type NativeSinkOptions = {
	/** UDP sockets to bind (ephemeral ports); listeners are spread over them and told apart by SSRC. */
	sockets: number;
	/** Verify every N-th packet of floor.c's copies with its listener keys derived from this master. */
	verify?: { keyBase64: string; suite: SrtpCryptoSuite; every: number };
	/** abs-capture-time extension id. Default 10 (mediasoup's). */
	absCaptureTimeId?: number;
	/** Include per-SSRC counts in every report. */
	perSsrc?: boolean;
};

/**
 * infra/bench/sink.c: receives any number of listeners' RTP on a few sockets at a fraction of a Node
 * sink's CPU, counting packets, loss and latency per SSRC from the clear RTP header.
 */
export class NativeSink {
	readonly #proc: NativeProcess<NativeSinkTotals>;
	/** Bound UDP ports. */
	readonly ports: readonly number[];

	/** Starts a sink process and waits until its sockets are bound. */
	static async start(options: NativeSinkOptions): Promise<NativeSink> {
		const args = ['--sockets', String(options.sockets)];
		if (options.verify) {
			args.push('--verify-key', options.verify.keyBase64, '--suite', options.verify.suite);
			args.push('--verify-every', String(options.verify.every));
		}
		if (options.absCaptureTimeId !== undefined) {
			args.push('--abs-capture-time-id', String(options.absCaptureTimeId));
		}
		if (options.perSsrc) {
			args.push('--per-ssrc');
		}
		const [proc, ready] = await NativeProcess.start<{ ports: number[] }, NativeSinkTotals>(
			benchProgram('sink'),
			args
		);
		return new NativeSink(proc, ready.ports);
	}

	private constructor(proc: NativeProcess<NativeSinkTotals>, ports: number[]) {
		this.#proc = proc;
		this.ports = ports;
	}

	/** Process id. */
	get pid(): number {
		return this.#proc.pid;
	}

	/** Sends one RTP packet from socket `socket` (index into `ports`) to `ip:port` (see sink.c's "hello"). */
	hello(socket: number, ip: string, port: number): void {
		this.#proc.command(`hello ${socket} ${ip} ${port}`);
	}

	/** Zeroes the counters: the measured window starts now. */
	reset(): void {
		this.#proc.signal('SIGUSR2');
	}

	/** The totals since the last reset (the sink goes on). */
	snapshot(): Promise<NativeSinkTotals> {
		this.#proc.signal('SIGUSR1');
		return this.#proc.nextLine();
	}

	/** Stops the sink and returns its final totals. */
	async stop(): Promise<NativeSinkTotals> {
		this.#proc.signal('SIGTERM');
		const last = await this.#proc.nextLine();
		await this.#proc.exited();
		return last;
	}
}
