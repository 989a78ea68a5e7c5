// What every phase of a benchmark run is given.
import type { Bus } from '@majlis/server-kit';
import type { OpusPacketList } from '../opusPackets.js';
import type { BenchOptions } from './cli.js';
import type { Supervisor } from './processes.js';
import type { SharedSinks } from './sinks.js';

/** The run's options, services and shared inputs. */
export type BenchContext = {
	options: BenchOptions;
	apiUrl: string;
	redisUrl: string;
	/** The run's Redis, to pin rooms to the node under measurement. */
	bus: Bus;
	/** The speakers' Opus packets. */
	packets: OpusPacketList;
	/** A signed-up host's API token: every phase's room is this host's. */
	hostToken: string;
	procs: Supervisor;
	/** The native sink the ramp's, pipe's and DTX phase's listeners send to (none: a Node sink each). */
	shared?: SharedSinks;
};
