import { describe, expect, test } from 'vitest';
import { readNtpTimestampUs, writeNtpTimestamp } from './clock.js';
import { findHeaderExtension, isRtcp, rtpHeaderLength } from './rtpPacket.js';

/** A minimal RTP packet with an extension block (profile + raw element bytes) and a payload. */
function rtp(profile: number | undefined, elements: number[], csrcs = 0): Buffer {
	const words = Math.ceil(elements.length / 4);
	const ext = profile === undefined ? Buffer.alloc(0) : Buffer.alloc(4 + words * 4);
	if (profile !== undefined) {
		ext.writeUInt16BE(profile, 0);
		ext.writeUInt16BE(words, 2);
		Buffer.from(elements).copy(ext, 4);
	}
	const fixed = Buffer.alloc(12 + csrcs * 4);
	fixed[0] = 0x80 | (profile === undefined ? 0 : 0x10) | csrcs;
	fixed[1] = 111;
	return Buffer.concat([fixed, ext, Buffer.from([0xde, 0xad])]);
}

describe('RTP header parsing', () => {
	test('header length counts CSRCs and the extension block', () => {
		expect(rtpHeaderLength(rtp(undefined, []))).toBe(12);
		expect(rtpHeaderLength(rtp(undefined, [], 2))).toBe(20);
		expect(rtpHeaderLength(rtp(0xbede, [0x10, 1, 0, 0, 0x20, 2]))).toBe(12 + 4 + 8);
		expect(rtpHeaderLength(Buffer.alloc(11))).toBe(-1);
		// Version 1 is not RTP.
		expect(rtpHeaderLength(Buffer.alloc(12, 0x40))).toBe(-1);
	});

	test('finds one-byte extensions past padding, and checks their length', () => {
		// id 6 len 1, padding, id 10 len 8.
		const p = rtp(0xbede, [0x60, 0x85, 0, 0xa7, 1, 2, 3, 4, 5, 6, 7, 8]);
		const len = rtpHeaderLength(p);
		expect(p[findHeaderExtension(p, len, 6, 1)]).toBe(0x85);
		const at = findHeaderExtension(p, len, 10, 8);
		expect([...p.subarray(at, at + 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(findHeaderExtension(p, len, 10, 16)).toBe(-1);
		expect(findHeaderExtension(p, len, 3, 1)).toBe(-1);
		expect(findHeaderExtension(rtp(undefined, []), 12, 10, 8)).toBe(-1);
	});

	test('finds two-byte extensions (RFC 8285 §4.3)', () => {
		const p = rtp(0x1000, [6, 1, 0x85, 10, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
		const at = findHeaderExtension(p, rtpHeaderLength(p), 10, 8);
		expect([...p.subarray(at, at + 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});

	test('tells RTCP from RTP on a muxed port', () => {
		expect(isRtcp(Buffer.from([0x80, 200]))).toBe(true);
		expect(isRtcp(Buffer.from([0x81, 205]))).toBe(true);
		expect(isRtcp(Buffer.from([0x80, 111]))).toBe(false);
		expect(isRtcp(Buffer.from([0x80, 0x80 | 111]))).toBe(false);
	});
});

test('NTP timestamps round-trip Unix microseconds', () => {
	const b = Buffer.alloc(8);
	for (const us of [0, 1_700_000_000_123_456, 1_999_999_999_999_999]) {
		writeNtpTimestamp(b, 0, us);
		expect(Math.abs(readNtpTimestampUs(b, 0) - us)).toBeLessThanOrEqual(1);
	}
	// 2024-01-01T00:00:00Z is NTP second 3 913 056 000.
	writeNtpTimestamp(b, 0, Date.UTC(2024, 0, 1) * 1000);
	expect(b.readUInt32BE(0)).toBe(3_913_056_000);
	expect(b.readUInt32BE(4)).toBe(0);
});
