import { expect, test } from 'vitest';
import { nowUs } from '../src/clock.js';
import { loadOpusPackets } from '../src/opusPackets.js';
import { RtpSink } from '../src/RtpSink.js';
import { RtpSpeaker } from '../src/RtpSpeaker.js';
import { createSrtpParameters } from '../src/SrtpContext.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('speaker → sink over SRTP without an SFU: DTX and mute leave frames out without counting as loss', async () => {
	const opus = await loadOpusPackets({ durationMs: 10_000 });
	const srtp = createSrtpParameters('AEAD_AES_256_GCM');
	const payloads: Buffer[] = [];
	const sink = await RtpSink.create({ srtp, onPayload: (_ssrc, _seq, payload) => payloads.push(payload) });
	const speaker = await RtpSpeaker.create({ packets: opus, ssrc: 42, srtp, dtx: true });
	try {
		speaker.connect('127.0.0.1', sink.port);
		const joinedUs = nowUs();
		// One pass over the list, driven by hand in small batches so that no socket buffer overflows.
		for (let i = 0; i < opus.packets.length; i++) {
			if (i === 100) {
				speaker.mute();
			}
			if (i === 150) {
				speaker.unmute();
			}
			speaker.tick(nowUs());
			if (i % 25 === 24) {
				await sleep(5);
			}
		}
		await sleep(100);
		const expected = opus.packets.filter((_, i) => !opus.dtx[i] && (i < 100 || i >= 150));
		expect(speaker.packetsSent).toBe(expected.length);
		expect(speaker.framesNotSent).toBe(opus.packets.length - expected.length);
		expect(expected.length).toBeLessThan(opus.packets.length - 50);
		expect(payloads).toEqual(expected);
		const stream = sink.streams.get(42)!;
		expect(stream.seq.received).toBe(expected.length);
		expect(stream.seq.lost).toBe(0);
		expect(stream.authFailures).toBe(0);
		expect(stream.firstPacketUs).toBeGreaterThanOrEqual(joinedUs);
		expect(sink.latency.count).toBe(expected.length);
	} finally {
		await speaker.close();
		await sink.close();
	}
});

test('a sink with the wrong key counts authentication failures but still measures loss and latency', async () => {
	const opus = await loadOpusPackets({ durationMs: 10_000 });
	const sink = await RtpSink.create({
		srtp: createSrtpParameters('AES_CM_128_HMAC_SHA1_80'),
		verifyEvery: 5,
	});
	const speaker = await RtpSpeaker.create({
		packets: opus,
		ssrc: 7,
		srtp: createSrtpParameters('AES_CM_128_HMAC_SHA1_80'),
	});
	try {
		speaker.connect('127.0.0.1', sink.port);
		for (let i = 0; i < 20; i++) {
			speaker.tick(nowUs());
		}
		await sleep(100);
		const stream = sink.streams.get(7)!;
		expect(stream.seq.received).toBe(20);
		// Packets 1, 6, 11 and 16 were checked.
		expect(stream.authFailures).toBe(4);
		expect(sink.latency.count).toBe(20);
	} finally {
		await speaker.close();
		await sink.close();
	}
});
