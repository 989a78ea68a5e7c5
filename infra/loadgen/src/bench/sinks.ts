// Where the listeners' media goes. `native`: one infra/bench/sink.c process (recvmmsg, many listeners per
// socket told apart by SSRC) at a fraction of a Node sink's CPU per packet, so the generator does not
// compete with the worker it measures; every PROBE_EVERY-th listener keeps a Node sink of its own, which
// times its join → first packet. `node`: a Node sink per listener (every listener timed).
import { NativeSink } from '../NativeSink.js';
import { out } from './output.js';

/** Sockets of the native sink; listeners are spread over them. */
const SOCKETS = 8;
/** One listener in this many keeps its own Node sink, for join → first packet. */
export const PROBE_EVERY = 10;

/** The shared sink of a phase's listeners, or none (a Node sink each). */
export type SharedSinks = {
	native: NativeSink;
	/** The port listener `i` sends to; undefined: a probe, with a Node sink of its own. */
	portFor(i: number): number | undefined;
};

/** Starts a native sink (`native` mode; falls back to Node sinks when the C programs cannot be built). */
export async function startSharedSinks(mode: 'native' | 'node'): Promise<SharedSinks | undefined> {
	if (mode === 'node') {
		return undefined;
	}
	try {
		const native = await NativeSink.start({ sockets: SOCKETS });
		return {
			native,
			portFor: (i) => (i % PROBE_EVERY === 0 ? undefined : native.ports[i % native.ports.length]),
		};
	} catch (error) {
		out(
			`# sinks: no native sink (${error instanceof Error ? error.message : String(error)}), Node sinks instead`
		);
		return undefined;
	}
}

/** Stops the native sink, if any. */
export async function stopSharedSinks(sinks: SharedSinks | undefined): Promise<void> {
	await sinks?.native.stop().catch(() => undefined);
}
