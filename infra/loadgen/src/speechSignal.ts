// A deterministic, speech-like test signal: talk spurts of 0.8–3 s (a gliding voiced tone with harmonics,
// amplitude-modulated at a syllable rate of ~4 Hz, plus a little noise) separated by 0.3–1.2 s of digital
// silence. The encoder then sees what it sees from a talker: varying spectra and levels, and real pauses,
// which is what matters for Opus packet sizes and for DTX.
const SAMPLE_RATE = 48_000;
const FRAME_SAMPLES = 960;

/** PCM and what is known about each 20 ms frame of it. */
export type SpeechSignal = {
	/** 48 kHz mono samples. */
	pcm: Int16Array;
	/** Per 20 ms frame: level in −dBov (0 = full scale, 127 = silence), as the ssrc-audio-level extension wants. */
	levels: Uint8Array;
};

// mulberry32: a tiny seeded PRNG, so that every run encodes exactly the same signal.
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Generates `durationMs` (a multiple of 20) of speech-like PCM from `seed`. */
export function speechSignal(durationMs: number, seed = 1): SpeechSignal {
	const frames = Math.ceil(durationMs / 20);
	const pcm = new Int16Array(frames * FRAME_SAMPLES);
	const rand = random(seed);
	let i = 0;
	while (i < pcm.length) {
		const talk = Math.floor((0.8 + rand() * 2.2) * SAMPLE_RATE);
		const f0 = 100 + rand() * 120;
		const glide = (rand() - 0.5) * 60;
		const syllableHz = 3 + rand() * 2;
		let phase = 0;
		for (let n = 0; n < talk && i < pcm.length; n++, i++) {
			const t = n / SAMPLE_RATE;
			phase += (2 * Math.PI * (f0 + glide * Math.sin(2 * Math.PI * 0.5 * t))) / SAMPLE_RATE;
			let voiced = 0;
			for (let h = 1; h <= 8; h++) {
				voiced += Math.sin(h * phase) / h;
			}
			const envelope = Math.sin(Math.PI * syllableHz * t) ** 2;
			const fade = Math.min(1, n / 480, (talk - n) / 480);
			pcm[i] = Math.round(4000 * fade * envelope * (voiced + (rand() - 0.5) * 0.3));
		}
		// The pause: the Int16Array is already zero.
		i += Math.floor((0.3 + rand() * 0.9) * SAMPLE_RATE);
	}
	const levels = new Uint8Array(frames);
	for (let f = 0; f < frames; f++) {
		let energy = 0;
		for (let n = f * FRAME_SAMPLES; n < (f + 1) * FRAME_SAMPLES; n++) {
			energy += pcm[n]! * pcm[n]!;
		}
		const rms = Math.sqrt(energy / FRAME_SAMPLES) / 32768;
		levels[f] = rms > 0 ? Math.min(127, Math.round(-20 * Math.log10(rms))) : 127;
	}
	return { pcm, levels };
}
