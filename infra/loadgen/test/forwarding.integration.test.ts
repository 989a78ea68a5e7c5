import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadOpusPackets, type OpusPacketList } from '../src/opusPackets.js';
import { Pacer } from '../src/Pacer.js';
import {
	closeListener,
	consumeToSink,
	type ListenerEndpoint,
	OPUS_CODEC,
	produceFromSpeaker,
} from '../src/plainTransports.js';
import { RtpSpeaker } from '../src/RtpSpeaker.js';
import { createSrtpParameters, type SrtpCryptoSuite } from '../src/SrtpContext.js';
import { LogHistogram, summarize } from '../src/stats.js';
import { localWorkerBin } from '../src/workerBin.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let worker: types.Worker;
let opus: OpusPacketList;

beforeAll(async () => {
	worker = await mediasoup.createWorker({ workerBin: localWorkerBin(), logLevel: 'warn' });
	opus = await loadOpusPackets();
});

afterAll(async () => {
	worker?.close();
});

describe.each<SrtpCryptoSuite>(['AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_80'])('SRTP %s', (cryptoSuite) => {
	test('a speaker reaches 50 PlainTransport sinks at 50 packets/s with its send time, and pause stops it', async () => {
		const router = await worker.createRouter({ mediaCodecs: [OPUS_CODEC] });
		const pacer = new Pacer();
		const srtp = createSrtpParameters(cryptoSuite);
		const speaker = await RtpSpeaker.create({ packets: opus, ssrc: 0x1234_5678, srtp });
		const latency = new LogHistogram();
		// Every payload must come out of mediasoup exactly as the speaker put it in.
		const sent = new Set(opus.packets.map((p) => p.toString('base64')));
		let payloadMismatches = 0;
		const listeners: ListenerEndpoint[] = [];
		try {
			const { producer } = await produceFromSpeaker(router, speaker, { srtp });
			for (let i = 0; i < 50; i++) {
				listeners.push(
					await consumeToSink(router, [producer], {
						cryptoSuite,
						sink: {
							latency,
							onPayload: (_ssrc, _seq, payload) => {
								if (!sent.has(payload.toString('base64'))) {
									payloadMismatches++;
								}
							},
						},
					})
				);
			}
			pacer.add(speaker);
			const started = performance.now();
			pacer.start();
			await sleep(3000);
			pacer.stop();
			const seconds = (performance.now() - started) / 1000;
			// Let the last packets arrive, then compare with what was sent: exact, however busy the machine.
			await sleep(300);
			expect(speaker.packetsSent / seconds).toBeGreaterThan(47);
			expect(speaker.packetsSent / seconds).toBeLessThan(53);
			for (const { sink } of listeners) {
				const totals = sink.totals();
				expect(totals.packets).toBe(speaker.packetsSent);
				expect(totals.lost).toBe(0);
				expect(totals.duplicates).toBe(0);
				expect(totals.authFailures).toBe(0);
				expect([...sink.streams.values()].every((s) => s.withoutTimestamp === 0)).toBe(true);
			}
			expect(payloadMismatches).toBe(0);
			const summary = summarize(latency);
			console.log(`${cryptoSuite}: added latency µs`, summary);
			// One sample per packet per sink; on loopback forwarding takes milliseconds (the bound leaves room
			// for a machine busy with other tests, not for a wrong clock or a rewritten timestamp).
			expect(summary.count).toBeGreaterThanOrEqual(listeners.length * 150);
			expect(summary.p50).toBeGreaterThan(0);
			expect(summary.p50).toBeLessThan(20_000);
			expect(summary.p99).toBeLessThan(200_000);

			// Pause: nothing reaches the sinks, and mediasoup sends no RTP bytes to them at all.
			pacer.start();
			await sleep(500);
			await producer.pause();
			await sleep(200);
			const pausedPackets = listeners.map((l) => l.sink.totals().packets);
			const pausedBytes = await Promise.all(
				listeners.map(async (l) => (await l.transport.getStats())[0]!.rtpBytesSent)
			);
			await sleep(1000);
			expect(listeners.map((l) => l.sink.totals().packets)).toEqual(pausedPackets);
			expect(
				await Promise.all(listeners.map(async (l) => (await l.transport.getStats())[0]!.rtpBytesSent))
			).toEqual(pausedBytes);
			expect(speaker.packetsSent).toBeGreaterThan(0);

			await producer.resume();
			await sleep(1000);
			for (const [i, { sink }] of listeners.entries()) {
				expect(sink.totals().packets - pausedPackets[i]!).toBeGreaterThan(35);
				// mediasoup renumbers across the pause, so the resumed stream shows no gap.
				expect(sink.totals().lost).toBe(0);
			}
		} finally {
			pacer.stop();
			await speaker.close();
			await Promise.all(listeners.map(closeListener));
			router.close();
		}
	});
});

test('the send time in abs-capture-time crosses mediasoup unchanged; without it sinks get no timestamp', async () => {
	const router = await worker.createRouter({ mediaCodecs: [OPUS_CODEC] });
	const srtp = createSrtpParameters('AEAD_AES_256_GCM');
	const stamped = await RtpSpeaker.create({ packets: opus, ssrc: 1111, srtp });
	const plain = await RtpSpeaker.create({ packets: opus, ssrc: 2222, absCaptureTimeId: 0 });
	const received = new Map<number, number[]>();
	const listeners: ListenerEndpoint[] = [];
	try {
		const producers = [
			(await produceFromSpeaker(router, stamped, { srtp })).producer,
			(await produceFromSpeaker(router, plain)).producer,
		];
		const listener = await consumeToSink(router, producers, {
			cryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
			sink: {
				onPayload: (ssrc, _seq, _payload, sentUs) =>
					received.set(ssrc, [...(received.get(ssrc) ?? []), sentUs]),
			},
		});
		listeners.push(listener);
		// Drive the speakers by hand with send times an hour in the past: if mediasoup put its own time
		// there, the sink would see the present instead.
		const base = Date.now() * 1000 - 3_600_000_000;
		const sentTimes = Array.from({ length: 20 }, (_, i) => base + i * 20_000 + 0.25 * i);
		for (const t of sentTimes) {
			stamped.tick(t);
			plain.tick(t);
			await sleep(20);
		}
		await sleep(200);
		// Consumers send with SSRCs of their own.
		const [stampedSsrc, plainSsrc] = listener.consumers.map((c) => c.rtpParameters.encodings![0]!.ssrc!);
		const got = received.get(stampedSsrc!) ?? [];
		expect(got.length).toBe(sentTimes.length);
		// Exact up to the NTP format's rounding (2^-32 s).
		expect(Math.max(...got.map((t, i) => Math.abs(t - sentTimes[i]!)))).toBeLessThanOrEqual(1);
		expect(summarize(listener.sink.latency).p50).toBeGreaterThan(3_599_000_000);
		expect(received.get(plainSsrc!)?.length).toBe(sentTimes.length);
		expect(received.get(plainSsrc!)?.every(Number.isNaN)).toBe(true);
		expect(listener.sink.streams.size).toBe(2);
	} finally {
		await stamped.close();
		await plain.close();
		await Promise.all(listeners.map(closeListener));
		router.close();
	}
});
