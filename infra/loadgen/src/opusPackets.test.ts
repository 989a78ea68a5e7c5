import { expect, test } from 'vitest';
import { dtxFlags } from './opusPackets.js';

test('DTX model: 10 inactive frames sent, then one comfort-noise frame per 21', () => {
	const levels = new Uint8Array([20, ...Array(60).fill(127), 30, ...Array(5).fill(127), 25]);
	const flags = [...dtxFlags(levels)];
	const silence = flags.slice(1, 61);
	// Frames 1–10 of the pause are sent (the encoder has not decided DTX yet).
	expect(silence.slice(0, 10)).toEqual(Array(10).fill(0));
	// Then 20 left out, 1 sent, 20 left out, 1 sent, …
	expect(silence.slice(10, 30)).toEqual(Array(20).fill(1));
	expect(silence[30]).toBe(0);
	expect(silence.slice(31, 51)).toEqual(Array(20).fill(1));
	expect(silence[51]).toBe(0);
	// Speech is always sent, and a short pause never reaches DTX.
	expect(flags[0]).toBe(0);
	expect(flags.slice(61)).toEqual(Array(7).fill(0));
});
