import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkerBin } from '../src/workerBin.js';

// Runs the real mediasoup-worker binary (infra/mediasoup-worker builds it offline).
describe('mediasoup worker', () => {
	let worker: types.Worker;

	beforeAll(async () => {
		worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
	});

	afterAll(async () => {
		worker.close();
		// Like mediasoup's own tests: wait for the subprocess to exit so none outlives the run.
		if (!worker.subprocessClosed) {
			await once(worker, 'subprocessclose');
		}
	});

	it('creates a router with Opus and a WebRTC transport on real 127.0.0.1 ports', async () => {
		const router = await worker.createRouter({
			mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
		});
		expect(router.rtpCapabilities.codecs?.map((codec) => codec.mimeType)).toContain('audio/opus');

		const transport = await router.createWebRtcTransport({
			listenInfos: [
				{ protocol: 'udp', ip: '127.0.0.1' },
				{ protocol: 'tcp', ip: '127.0.0.1' },
			],
		});
		const udp = transport.iceCandidates.find((candidate) => candidate.protocol === 'udp');
		const tcp = transport.iceCandidates.find((candidate) => candidate.protocol === 'tcp');
		expect(udp).toMatchObject({ address: '127.0.0.1', type: 'host' });
		expect(tcp).toMatchObject({ address: '127.0.0.1', type: 'host', tcpType: 'passive' });
		expect(transport.iceParameters.usernameFragment).not.toBe('');
		expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);

		// The ports are really bound by the worker: the UDP one is taken, the TCP one accepts connections.
		const socket = createSocket('udp4');
		const bind = await new Promise<string | undefined>((resolve) => {
			socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
			socket.once('listening', () => resolve('bound'));
			socket.bind(udp!.port, '127.0.0.1');
		});
		socket.close();
		expect(bind).toBe('EADDRINUSE');
		const connection = createConnection(tcp!.port, '127.0.0.1');
		await once(connection, 'connect');
		connection.destroy();

		transport.close();
		router.close();
		expect(transport.closed).toBe(true);
	});

	// Guards infra/mediasoup-worker's libsrtp3-over-libsrtp2 shim: RTP crosses an SRTP hop between two
	// PlainTransports (protect on one, unprotect on the other) and must come out byte for byte.
	it.each([
		'AEAD_AES_256_GCM',
		'AEAD_AES_128_GCM',
		'AES_CM_128_HMAC_SHA1_80',
		'AES_CM_128_HMAC_SHA1_32',
	] as const)('carries RTP through SRTP with %s', async (srtpCryptoSuite) => {
		const router = await worker.createRouter({
			mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
		});
		const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
		const plain = (options: { comedia?: boolean; enableSrtp?: boolean }) =>
			router.createPlainTransport({ listenInfo, rtcpMux: true, srtpCryptoSuite, ...options });
		const [input, a, b, output] = await Promise.all([
			plain({ comedia: true }),
			plain({ enableSrtp: true }),
			plain({ enableSrtp: true }),
			plain({}),
		]);
		await a.connect({ ip: '127.0.0.1', port: b.tuple.localPort, srtpParameters: a.srtpParameters });
		await b.connect({ ip: '127.0.0.1', port: a.tuple.localPort, srtpParameters: a.srtpParameters });
		const producer = await input.produce({
			kind: 'audio',
			rtpParameters: {
				codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
				encodings: [{ ssrc: 1111 }],
			},
		});
		const hop = await a.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
		const relayed = await b.produce({ kind: 'audio', rtpParameters: hop.rtpParameters });

		const receiver = createSocket('udp4');
		receiver.bind(0, '127.0.0.1');
		await once(receiver, 'listening');
		const packets: Buffer[] = [];
		receiver.on('message', (packet) => packets.push(packet));
		const out = await output.consume({ producerId: relayed.id, rtpCapabilities: router.rtpCapabilities });
		await output.connect({ ip: '127.0.0.1', port: receiver.address().port });

		const sender = createSocket('udp4');
		const payload = Buffer.from('majlis says hello over srtp');
		for (let seq = 0; seq < 50 && packets.length === 0; seq++) {
			const header = Buffer.alloc(12);
			header.writeUInt8(0x80, 0);
			header.writeUInt8(100, 1);
			header.writeUInt16BE(seq, 2);
			header.writeUInt32BE(seq * 960, 4);
			header.writeUInt32BE(1111, 8);
			sender.send(Buffer.concat([header, payload]), input.tuple.localPort, '127.0.0.1');
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		sender.close();
		receiver.close();
		router.close();

		const packet = packets[0];
		expect(packet).toBeDefined();
		expect(packet!.readUInt8(1) & 0x7f).toBe(out.rtpParameters.codecs[0]!.payloadType);
		expect(packet!.subarray(packet!.length - payload.length)).toEqual(payload);
	});
});
