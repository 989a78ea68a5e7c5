import { describe, expect, test } from 'vitest';
import { micConstraints, preferredMic } from './micDevice';

const base: MediaStreamConstraints = { audio: { echoCancellation: true }, video: false };

describe('micConstraints', () => {
	test('asks for the chosen microphone as ideal, so a vanished device falls back to the default', () => {
		expect(micConstraints(base, 'abc')).toEqual({
			audio: { echoCancellation: true, deviceId: { ideal: 'abc' } },
			video: false,
		});
	});

	test('without a choice (or without storage) the constraints stay as they are', () => {
		expect(preferredMic()).toBe('');
		expect(micConstraints(base)).toBe(base);
		expect(micConstraints({ audio: true }, 'abc')).toEqual({ audio: true });
	});
});
