import { describe, expect, test } from 'vitest';
import { parseOggPackets } from './oggPackets.js';

/** One Ogg page holding `lacing` segments of the bytes in `body` (CRC left 0: the parser ignores it). */
function page(serial: number, lacing: number[], body: Buffer, continued = false): Buffer {
	const header = Buffer.alloc(27);
	header.write('OggS', 0, 'latin1');
	header[5] = continued ? 1 : 0;
	header.writeUInt32LE(serial, 14);
	header[26] = lacing.length;
	expect(lacing.reduce((a, b) => a + b, 0)).toBe(body.length);
	return Buffer.concat([header, Buffer.from(lacing), body]);
}

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('parseOggPackets', () => {
	test('splits pages into packets by their lacing values', () => {
		const data = Buffer.concat([
			page(7, [3, 0, 5], Buffer.concat([bytes(3, 1), bytes(5, 2)])),
			// A 255-byte packet needs a terminating 0 lacing value.
			page(7, [255, 0, 1], Buffer.concat([bytes(255, 3), bytes(1, 4)])),
		]);
		expect(parseOggPackets(data)).toEqual([
			bytes(3, 1),
			bytes(0, 0),
			bytes(5, 2),
			bytes(255, 3),
			bytes(1, 4),
		]);
	});

	test('joins a packet continued on the next page', () => {
		const data = Buffer.concat([
			page(7, [2, 255], Buffer.concat([bytes(2, 9), bytes(255, 5)])),
			page(7, [255, 45], Buffer.concat([bytes(255, 5), bytes(45, 5)]), true),
		]);
		expect(parseOggPackets(data)).toEqual([bytes(2, 9), bytes(555, 5)]);
	});

	test('keeps only the first logical stream', () => {
		const data = Buffer.concat([
			page(1, [4], bytes(4, 1)),
			page(2, [6], bytes(6, 2)),
			page(1, [5], bytes(5, 3)),
		]);
		expect(parseOggPackets(data)).toEqual([bytes(4, 1), bytes(5, 3)]);
	});

	test('rejects data that is not Ogg or is cut short', () => {
		expect(() => parseOggPackets(Buffer.from('RIFF0000WAVEfmt 0000000000000000'))).toThrow(
			/invalid Ogg page/
		);
		const whole = page(1, [100], bytes(100, 1));
		expect(() => parseOggPackets(whole.subarray(0, whole.length - 1))).toThrow(/truncated/);
		expect(parseOggPackets(Buffer.alloc(0))).toEqual([]);
	});
});
