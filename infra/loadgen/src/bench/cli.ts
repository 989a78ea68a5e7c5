// The benchmark's command line:
//
//   pnpm bench [--steps auto|100,200,300] [--max-listeners 4000] [--seconds 4] [--speakers 4]
//              [--moderation 1000] [--webrtc 30] [--chromium 60] [--webrtc-at 200] [--webrtc-seconds 10] [--pin auto|off]
//              [--sink native|node] [--profile] [--recording-listeners 200] [--only reactions|recording]
//              [--speaker-phase staggered|aligned]
import { parseArgs } from 'node:util';

/** The phases `--only` runs alone. */
const ONLY_PHASES = ['reactions', 'recording'] as const;

/** What one benchmark run does. */
export type BenchOptions = {
	/** Listener counts of the one-worker ramp; `auto`: grow until the worker's core saturates. */
	steps: number[] | 'auto';
	/** The auto ramp's last step at most. */
	maxListeners: number;
	/** Length of each measured window. */
	seconds: number;
	/** Speaker bots on the stage (each 50 packets/s). */
	speakers: number;
	/** Listener sockets the moderation fan-out reaches (media listeners plus signalling-only ones). */
	moderation: number;
	/** Real WebRTC listeners of the realism check (0: no check). */
	webrtc: number;
	/** Real Chromium listeners whose join → first packet the realism check times (0: none). */
	chromium: number;
	/** The realism check keeps the plain listeners of the largest ramp step up to this. */
	webrtcAt: number;
	/** Length of the realism check's measured window. */
	webrtcSeconds: number;
	/** `auto`: generator on core 0, each worker on a core of its own (cpus.ts); `off`: the OS decides. */
	pin: 'auto' | 'off';
	/** `native`: listeners share infra/bench's C sink (sinks.ts); `node`: a Node sink each. */
	sink: 'native' | 'node';
	/** Sample the worker with Linux perf during each ramp window and print the top step's profile. */
	profile: boolean;
	/** Listeners of the recording phase (recorded vs not); 0 skips it. */
	recordingListeners: number;
	/**
	 * `staggered`: the speakers' 20 ms frames are spread over the frame interval, as independent phones'
	 * clocks are; `aligned`: all send at the same instant (the worst case for the fan-out's queueing).
	 */
	speakerPhase: 'staggered' | 'aligned';
	/** Run one phase alone (its room, speakers and sockets only); undefined: every phase. */
	only: (typeof ONLY_PHASES)[number] | undefined;
};

/** Parses `argv` (without node and the script) into options, defaults as in the usage line. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
	const { values } = parseArgs({
		args: [...argv],
		options: {
			steps: { type: 'string', default: 'auto' },
			'max-listeners': { type: 'string', default: '4000' },
			seconds: { type: 'string', default: '4' },
			speakers: { type: 'string', default: '4' },
			moderation: { type: 'string', default: '1000' },
			webrtc: { type: 'string', default: '30' },
			chromium: { type: 'string', default: '60' },
			'webrtc-at': { type: 'string', default: '200' },
			'webrtc-seconds': { type: 'string', default: '10' },
			pin: { type: 'string', default: 'auto' },
			sink: { type: 'string', default: 'native' },
			profile: { type: 'boolean', default: false },
			'recording-listeners': { type: 'string', default: '200' },
			only: { type: 'string' },
			'speaker-phase': { type: 'string', default: 'staggered' },
		},
	});
	const steps = values.steps === 'auto' ? 'auto' : values.steps.split(',').map(Number);
	if (steps !== 'auto' && (steps.length === 0 || steps.some((n) => !Number.isInteger(n) || n <= 0))) {
		throw new Error(`--steps: auto, or listener counts separated by commas, not "${values.steps}"`);
	}
	if (values.pin !== 'auto' && values.pin !== 'off') {
		throw new Error(`--pin: auto or off, not "${values.pin}"`);
	}
	if (values.sink !== 'native' && values.sink !== 'node') {
		throw new Error(`--sink: native or node, not "${values.sink}"`);
	}
	const speakerPhase = values['speaker-phase'];
	if (speakerPhase !== 'staggered' && speakerPhase !== 'aligned') {
		throw new Error(`--speaker-phase: staggered or aligned, not "${speakerPhase}"`);
	}
	const only = ONLY_PHASES.find((phase) => phase === values.only);
	if (values.only !== undefined && only === undefined) {
		throw new Error(`--only: ${ONLY_PHASES.join(' or ')}, not "${values.only}"`);
	}
	return {
		steps,
		maxListeners: Number(values['max-listeners']),
		seconds: Number(values.seconds),
		speakers: Number(values.speakers),
		moderation: Number(values.moderation),
		webrtc: Number(values.webrtc),
		chromium: Number(values.chromium),
		webrtcAt: Number(values['webrtc-at']),
		webrtcSeconds: Number(values['webrtc-seconds']),
		pin: values.pin,
		sink: values.sink,
		profile: values.profile,
		recordingListeners: Number(values['recording-listeners']),
		speakerPhase,
		only,
	};
}
