// The benchmark's command line:
//
//   pnpm bench [--steps 100,200,300] [--seconds 4] [--speakers 4] [--moderation 1000]
//              [--webrtc 30] [--webrtc-at 200] [--webrtc-seconds 10]
import { parseArgs } from 'node:util';

/** What one benchmark run does. */
export type BenchOptions = {
	/** Listener counts of the one-worker ramp. */
	steps: number[];
	/** Length of each measured window. */
	seconds: number;
	/** Speaker bots on the stage (each 50 packets/s). */
	speakers: number;
	/** Listener sockets the moderation fan-out reaches (media listeners plus signalling-only ones). */
	moderation: number;
	/** Real WebRTC listeners of the realism check (0: no check). */
	webrtc: number;
	/** The ramp step whose plain listeners stay for the realism check. */
	webrtcStep: number;
	/** Length of the realism check's measured window. */
	webrtcSeconds: number;
};

/** Parses `argv` (without node and the script) into options, defaults as in the usage line. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
	const { values } = parseArgs({
		args: [...argv],
		options: {
			steps: { type: 'string', default: '100,200,300' },
			seconds: { type: 'string', default: '4' },
			speakers: { type: 'string', default: '4' },
			moderation: { type: 'string', default: '1000' },
			webrtc: { type: 'string', default: '30' },
			'webrtc-at': { type: 'string', default: '200' },
			'webrtc-seconds': { type: 'string', default: '10' },
		},
	});
	const steps = values.steps.split(',').map(Number);
	if (steps.length === 0 || steps.some((n) => !Number.isInteger(n) || n <= 0)) {
		throw new Error(`--steps: positive listener counts separated by commas, not "${values.steps}"`);
	}
	// The realism check keeps the plain listeners of the largest step up to --webrtc-at (else the first
	// step): a few hundred, below the generator's saturation, so latency compares forwarding paths rather
	// than run-queue waits.
	const webrtcAt = Number(values['webrtc-at']);
	return {
		steps,
		seconds: Number(values.seconds),
		speakers: Number(values.speakers),
		moderation: Number(values.moderation),
		webrtc: Number(values.webrtc),
		webrtcStep: steps.filter((n) => n <= webrtcAt).at(-1) ?? steps[0]!,
		webrtcSeconds: Number(values['webrtc-seconds']),
	};
}
