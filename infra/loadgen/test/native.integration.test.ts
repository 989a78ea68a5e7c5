import { describe, expect, test } from 'vitest';
import { nowUs, writeNtpTimestamp } from '../src/clock.js';
import { startFloor } from '../src/floorForwarder.js';
import { JanusSession } from '../src/JanusClient.js';
import { JanusProcess, janusInstalled } from '../src/JanusProcess.js';
import { NativeSink } from '../src/NativeSink.js';
import { loadOpusPackets } from '../src/opusPackets.js';
import { Pacer } from '../src/Pacer.js';
import { RtpSink } from '../src/RtpSink.js';
import { RtpSpeaker } from '../src/RtpSpeaker.js';
import { createSrtpParameters, type SrtpCryptoSuite } from '../src/SrtpContext.js';
import { bindUdpSocket, closeUdpSocket } from '../src/udpSocket.js';

// infra/bench's C programs (built on first use by infra/bench/build.sh) and Janus, for real.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// floor.c batches a packet's copies into one sendmmsg; --batch 1 is a system call per copy, as mediasoup sends.
describe.each<{ suite: SrtpCryptoSuite; batch?: number; sends: string }>([
	{ suite: 'AEAD_AES_128_GCM', sends: 'copies batched' },
	{ suite: 'AEAD_AES_256_GCM', sends: 'copies batched' },
	{ suite: 'AEAD_AES_128_GCM', batch: 1, sends: 'a call per copy' },
])('floor.c with $suite, $sends', ({ suite, batch }) => {
	test('decrypts the speakers and sends every listener an SRTP copy that Node and sink.c both authenticate', async () => {
		const packets = await loadOpusPackets({ durationMs: 5_000 });
		const speakersKey = createSrtpParameters(suite);
		const listenersKey = createSrtpParameters(suite);
		const sink = await NativeSink.start({
			sockets: 3,
			verify: { keyBase64: listenersKey.keyBase64, suite, every: 1 },
		});
		// Listener 0's key is the base key itself (XOR 0): the TypeScript SRTP, tested against libsrtp, checks it.
		const node = await RtpSink.create({ srtp: listenersKey });
		const floor = await startFloor({
			suite,
			inKeyBase64: speakersKey.keyBase64,
			outKeyBase64: listenersKey.keyBase64,
			listeners: 9,
			sinkPorts: [node.port, ...sink.ports],
			warmupSeconds: 0,
			seconds: 1.5,
			batch,
		});
		const pacer = new Pacer();
		const speakers = await Promise.all(
			[0, 1].map((i) =>
				RtpSpeaker.create({ packets, ssrc: 0x100 + i, srtp: speakersKey, startFrame: i * 50 })
			)
		);
		try {
			for (const s of speakers) {
				s.connect('127.0.0.1', floor.port);
				pacer.add(s);
			}
			pacer.start();
			const result = await floor.result;
			await sleep(100);
			const got = await sink.snapshot();
			expect(result.authFailures).toBe(0);
			expect(result.streams).toBe(2);
			expect(result.packetsIn).toBeGreaterThan(100);
			expect(result.copiesOut).toBe(result.packetsIn * 9);
			expect(result.usPerCopy).toBeGreaterThan(0);
			// Nine copies fit one batch of the default 256: a call per packet; with --batch 1, a call per copy.
			expect(result.batch).toBe(batch ?? 256);
			expect(result.sendmmsgCalls).toBe(batch === 1 ? result.copiesOut : result.packetsIn);
			// Listeners 0, 3, 6 went to the Node sink; the others (2 speakers each) to sink.c, all verified.
			expect(got.streams).toBe(6 * 2);
			expect(got.lost).toBe(0);
			expect(got.authFailures).toBe(0);
			expect(got.verified).toBe(got.packets);
			expect(got.latencySamples).toBe(got.packets);
			const own = [...node.streams.values()].filter((s) => s.ssrc >> 8 === 1);
			expect(own).toHaveLength(2);
			for (const s of own) {
				expect(s.authFailures).toBe(0);
				expect(s.seq.received).toBeGreaterThan(40);
			}
		} finally {
			pacer.stop();
			await Promise.all(speakers.map((s) => s.close()));
			await floor.kill();
			await sink.stop();
			await node.close();
		}
	});
});

test('sink.c counts packets, loss and latency per SSRC and starts a window on reset', async () => {
	const sink = await NativeSink.start({ sockets: 2, perSsrc: true });
	const socket = await bindUdpSocket('127.0.0.1');
	// RTP with a one-byte abs-capture-time extension (id 10), as RtpSpeaker writes it.
	const packet = (ssrc: number, seq: number) => {
		const p = Buffer.alloc(12 + 4 + 12 + 3);
		p[0] = 0x90;
		p[1] = 111;
		p.writeUInt16BE(seq, 2);
		p.writeUInt32BE(ssrc, 8);
		p.writeUInt16BE(0xbede, 12);
		p.writeUInt16BE(3, 14);
		p[16] = (10 << 4) | 7;
		writeNtpTimestamp(p, 17, nowUs() - 5_000); // sent 5 ms ago
		return p;
	};
	const send = (port: number, ssrc: number, seq: number) =>
		new Promise<void>((resolve) => socket.send(packet(ssrc, seq), port, '127.0.0.1', () => resolve()));
	try {
		for (const seq of [65534, 65535, 1, 2]) {
			await send(sink.ports[0]!, 7, seq); // 0 is lost, across the wrap
		}
		await send(sink.ports[1]!, 8, 100);
		await sleep(100);
		const first = await sink.snapshot();
		expect(first.streams).toBe(2);
		expect(first.packets).toBe(5);
		expect(first.expected).toBe(6);
		expect(first.lost).toBe(1);
		expect(first.latencySamples).toBe(5);
		expect(first.latencyP50Ms).toBeGreaterThan(4);
		expect(first.latencyP50Ms).toBeLessThan(100);
		expect(first.perSsrc?.find((s) => s.ssrc === 7)).toMatchObject({ packets: 4, lost: 1 });
		sink.reset();
		await sleep(50);
		await send(sink.ports[0]!, 7, 3);
		await sleep(100);
		const last = await sink.stop();
		expect(last.final).toBe(true);
		expect(last.packets).toBe(1);
		expect(last.lost).toBe(0);
	} finally {
		await closeUdpSocket(socket);
	}
});

test.skipIf(!janusInstalled())(
	'Janus forwards a remote publisher to rtp_forward listeners with SRTP',
	async () => {
		const janus = await JanusProcess.start();
		const sink = await NativeSink.start({ sockets: 1 });
		const packets = await loadOpusPackets({ durationMs: 5_000 });
		const speaker = await RtpSpeaker.create({ packets, ssrc: 1000 });
		const pacer = new Pacer();
		const session = await JanusSession.create(janus.url);
		try {
			const handle = await session.attach('janus.plugin.videoroom');
			await session.request(handle, { request: 'create', room: 7, audiocodec: 'opus' });
			const pub = await session.request(handle, {
				request: 'add_remote_publisher',
				room: 7,
				id: 1,
				display: 'speaker',
				iface: '127.0.0.1',
				streams: [{ type: 'audio', mindex: 0, mid: '0', codec: 'opus' }],
			});
			await session.waitForRemotePublishers(handle, 7, 1);
			for (const ssrc of [11, 12]) {
				await session.request(handle, {
					request: 'rtp_forward',
					room: 7,
					publisher_id: 1,
					host: '127.0.0.1',
					host_family: 'ipv4',
					streams: [{ mid: '0', port: sink.ports[0], ssrc }],
					srtp_suite: 80,
					srtp_crypto: createSrtpParameters('AES_CM_128_HMAC_SHA1_80').keyBase64,
				});
			}
			speaker.connect('127.0.0.1', Number(pub.port));
			pacer.add(speaker);
			pacer.start();
			await sleep(1000);
			const got = await sink.snapshot();
			expect(got.streams).toBe(2);
			expect(got.packets).toBeGreaterThan(60);
			expect(got.lost).toBe(0);
			// The send time (abs-capture-time) survives Janus's forwarding.
			expect(got.latencySamples).toBe(got.packets);
		} finally {
			pacer.stop();
			await speaker.close();
			await sink.stop();
			await session.destroy();
			await janus.stop();
		}
	}
);
