// The microphone and speaker chosen in the mic check, remembered on this device. Device ids are
// per-origin and may vanish (a headset unplugged): constraints ask for the device as `ideal`, so
// getUserMedia falls back to the default rather than failing.
const MIC_KEY = 'majlis.micDevice';
const OUTPUT_KEY = 'majlis.outputDevice';

function read(key: string): string {
	try {
		return localStorage.getItem(key) ?? '';
	} catch {
		return '';
	}
}

function write(key: string, value: string): void {
	try {
		if (value) {
			localStorage.setItem(key, value);
		} else {
			localStorage.removeItem(key);
		}
	} catch {
		// Storage disabled (private mode): the choice lasts for this page only.
	}
}

/** The chosen microphone's device id; empty for the default. */
export function preferredMic(): string {
	return read(MIC_KEY);
}

/** Remembers the chosen microphone (empty: the default). */
export function setPreferredMic(deviceId: string): void {
	write(MIC_KEY, deviceId);
}

/** The chosen output device's id; empty for the default. */
export function preferredOutput(): string {
	return read(OUTPUT_KEY);
}

/** Remembers the chosen output device (empty: the default). */
export function setPreferredOutput(deviceId: string): void {
	write(OUTPUT_KEY, deviceId);
}

/** `base` with the chosen (or given) microphone asked for; audio constraints only. */
export function micConstraints(
	base: MediaStreamConstraints,
	deviceId = preferredMic()
): MediaStreamConstraints {
	if (!deviceId || typeof base.audio !== 'object') {
		return base;
	}

	return { ...base, audio: { ...base.audio, deviceId: { ideal: deviceId } } };
}

/** Whether this browser can send audio to a chosen output device. */
export function canChooseOutput(): boolean {
	return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}
