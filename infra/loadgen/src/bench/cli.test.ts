import { describe, expect, test } from 'vitest';
import { parseBenchArgs } from './cli.js';

describe('parseBenchArgs', () => {
	test('defaults: an auto ramp, pinned cores, the native sink', () => {
		expect(parseBenchArgs([])).toMatchObject({
			steps: 'auto',
			maxListeners: 4000,
			seconds: 4,
			speakers: 4,
			webrtc: 30,
			chromium: 60,
			webrtcAt: 200,
			pin: 'auto',
			sink: 'native',
			profile: false,
			speakerPhase: 'staggered',
			only: undefined,
		});
		expect(parseBenchArgs(['--speaker-phase', 'aligned']).speakerPhase).toBe('aligned');
	});

	test('--only reactions runs that phase alone', () => {
		expect(parseBenchArgs(['--only', 'reactions']).only).toBe('reactions');
	});

	test('explicit steps and choices', () => {
		const o = parseBenchArgs([
			'--steps',
			'20,40',
			'--pin',
			'off',
			'--sink',
			'node',
			'--seconds',
			'2',
			'--profile',
		]);
		expect(o).toMatchObject({ steps: [20, 40], pin: 'off', sink: 'node', seconds: 2, profile: true });
	});

	test('rejects what it cannot run', () => {
		expect(() => parseBenchArgs(['--steps', '10,x'])).toThrow(/--steps/);
		expect(() => parseBenchArgs(['--pin', 'yes'])).toThrow(/--pin/);
		expect(() => parseBenchArgs(['--sink', 'c'])).toThrow(/--sink/);
		expect(() => parseBenchArgs(['--only', 'ramp'])).toThrow(/--only/);
		expect(() => parseBenchArgs(['--speaker-phase', 'random'])).toThrow(/--speaker-phase/);
	});

	test('the recording phase alone (#13)', () => {
		expect(parseBenchArgs([])).toMatchObject({ recordingListeners: 200, only: undefined });
		expect(parseBenchArgs(['--only', 'recording', '--recording-listeners', '50'])).toMatchObject({
			only: 'recording',
			recordingListeners: 50,
		});
	});
});
