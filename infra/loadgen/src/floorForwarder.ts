import { benchProgram, NativeProcess } from './nativeProcess.js';
import type { SrtpCryptoSuite } from './SrtpContext.js';

/** What infra/bench/floor.c measured over its window. */
export type FloorResult = {
	suite: string;
	/** Copies per sendmmsg at the most (1: a system call per copy). */
	batch: number;
	listeners: number;
	streams: number;
	seconds: number;
	packetsIn: number;
	copiesOut: number;
	copiesPerSecond: number;
	cpuUserUs: number;
	cpuSysUs: number;
	cpuPct: number;
	/** CPU µs (user + system) per forwarded SRTP copy: the floor's figure. */
	usPerCopy: number;
	usPerPacketIn: number;
	sendmmsgCalls: number;
	authFailures: number;
	sendErrors: number;
	/** False when it was stopped before the warm-up ended (then the window is everything). */
	warmupComplete: boolean;
};

/** Options of `startFloor`. */
export type FloorOptions = {
	suite: SrtpCryptoSuite;
	/** The speakers' SRTP master key and salt (what they protect with). */
	inKeyBase64: string;
	/** Base of the listeners' keys (listener i: its last key bytes XOR i, as sink.c derives them). */
	outKeyBase64: string;
	listeners: number;
	/** Sink ports on 127.0.0.1; listener i sends to ports[i % length]. */
	sinkPorts: readonly number[];
	/** Seconds from the first packet before the window opens, then the window's length. */
	warmupSeconds: number;
	seconds: number;
	/** Copies per sendmmsg at the most; 1 sends each copy with a call of its own (floor.c's default: 256). */
	batch?: number;
};

/** A running floor forwarder: where speakers send, and its result once its window ended. */
export type Floor = { port: number; pid: number; result: Promise<FloorResult>; kill: () => Promise<void> };

/** Starts infra/bench/floor.c on 127.0.0.1 (an ephemeral port) and resolves once it is bound. */
export async function startFloor(options: FloorOptions): Promise<Floor> {
	const [proc, ready] = await NativeProcess.start<{ listening: string }, FloorResult>(benchProgram('floor'), [
		'--suite',
		options.suite,
		'--in-key',
		options.inKeyBase64,
		'--out-key',
		options.outKeyBase64,
		'--listeners',
		String(options.listeners),
		'--sink',
		`127.0.0.1:${options.sinkPorts.join(',')}`,
		'--warmup',
		String(options.warmupSeconds),
		'--seconds',
		String(options.seconds),
		...(options.batch === undefined ? [] : ['--batch', String(options.batch)]),
	]);
	const port = Number(ready.listening.split(':').at(-1));
	const timeoutMs = (options.warmupSeconds + options.seconds + 30) * 1000;
	return { port, pid: proc.pid, result: proc.nextLine(timeoutMs), kill: () => proc.kill() };
}
