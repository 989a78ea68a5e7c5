import { describe, expect, test } from 'vitest';
import { INACTIVE_DBOV, loadOpusPackets } from '../src/opusPackets.js';

/** Frame duration in ms coded by an Opus TOC byte (RFC 6716 §3.1). */
function tocFrameMs(toc: number): number {
	const config = toc >> 3;
	if (config < 12) {
		return [10, 20, 40, 60][config % 4]!;
	}
	if (config < 16) {
		return [10, 20][config % 2]!;
	}
	return [2.5, 5, 10, 20][config % 4]!;
}

describe('loadOpusPackets (real ffmpeg/libopus)', () => {
	test('gives one mono 20 ms Opus packet per frame at about the requested bitrate', async () => {
		const list = await loadOpusPackets({ durationMs: 10_000, bitrate: 32_000 });
		expect(list.packets.length).toBe(500);
		expect(list.levels.length).toBe(500);
		for (const p of list.packets) {
			expect(tocFrameMs(p[0]!)).toBe(20);
			// Code 0 (one frame per packet), mono.
			expect(p[0]! & 0x03).toBe(0);
			expect(p[0]! & 0x04).toBe(0);
		}
		const speech = list.packets.filter((_, i) => list.levels[i]! < INACTIVE_DBOV);
		const bitrate = (speech.reduce((sum, p) => sum + p.length, 0) * 8) / (speech.length * 0.02);
		expect(bitrate).toBeGreaterThan(24_000);
		expect(bitrate).toBeLessThan(40_000);
		// Speech and pauses, as in a conversation.
		expect(speech.length).toBeGreaterThan(250);
		expect(speech.length).toBeLessThan(475);
	});

	test('caches per option set', async () => {
		const a = await loadOpusPackets({ durationMs: 2000 });
		expect(await loadOpusPackets({ durationMs: 2000 })).toBe(a);
		expect(await loadOpusPackets({ durationMs: 2000, seed: 2 })).not.toBe(a);
	});

	test('marks DTX frames only inside pauses', async () => {
		const list = await loadOpusPackets({ durationMs: 10_000 });
		const dtx = list.dtx.reduce((n, f) => n + f, 0);
		expect(dtx).toBeGreaterThan(0);
		list.dtx.forEach((flag, i) => {
			if (flag) {
				expect(list.levels[i]).toBeGreaterThanOrEqual(INACTIVE_DBOV);
			}
		});
	});

	test('says clearly when ffmpeg is missing', async () => {
		await expect(loadOpusPackets({ ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toThrow(/ffmpeg not found/);
	});
});
