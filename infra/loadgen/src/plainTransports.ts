import type { types } from 'mediasoup';
import { HeaderExtension } from './rtpPacket.js';
import type { RtpSpeaker } from './RtpSpeaker.js';
import { RtpSink, type RtpSinkOptions } from './RtpSink.js';
import { createSrtpParameters, type SrtpCryptoSuite, type SrtpParameters } from './SrtpContext.js';

// mediasoup wiring for in-process tests and microbenchmarks: a speaker feeds a PlainTransport producer,
// and each listener is a PlainTransport whose consumers send to an RtpSink. (In the capacity benchmark the
// SFU creates these transports itself; the load generator then only owns the sockets.)

/** Opus as a router media codec (Majlis's SFU uses the same). */
export const OPUS_CODEC: types.RouterRtpCodecCapability = {
	kind: 'audio',
	mimeType: 'audio/opus',
	clockRate: 48_000,
	channels: 2,
};

/** What a PlainTransport listener accepts: Opus plus the extensions the sink reads. */
export const LISTENER_RTP_CAPABILITIES: types.RtpCapabilities = {
	codecs: [{ ...OPUS_CODEC, preferredPayloadType: 100 }],
	headerExtensions: [
		{
			kind: 'audio',
			uri: HeaderExtension.AbsCaptureTime.uri,
			preferredId: HeaderExtension.AbsCaptureTime.id,
			direction: 'sendrecv',
		},
		{
			kind: 'audio',
			uri: HeaderExtension.AudioLevel.uri,
			preferredId: HeaderExtension.AudioLevel.id,
			direction: 'sendrecv',
		},
	],
};

/** A speaker's side in mediasoup. */
export type SpeakerEndpoint = { transport: types.PlainTransport; producer: types.Producer };

/** A listener: its transport, its consumers (one per producer) and the sink they send to. */
export type ListenerEndpoint = {
	transport: types.PlainTransport;
	consumers: types.Consumer[];
	sink: RtpSink;
};

/**
 * Creates a comedia PlainTransport for `speaker`, produces its stream and points the speaker at it.
 * `srtp` must be the parameters the speaker was created with (none: plain RTP).
 */
export async function produceFromSpeaker(
	router: types.Router,
	speaker: RtpSpeaker,
	options: { srtp?: SrtpParameters; listenIp?: string } = {}
): Promise<SpeakerEndpoint> {
	const ip = options.listenIp ?? '127.0.0.1';
	const transport = await router.createPlainTransport({
		listenInfo: { protocol: 'udp', ip },
		rtcpMux: true,
		// The SFU learns the speaker's address from its first packet, as with a NATed ffmpeg.
		comedia: true,
		enableSrtp: Boolean(options.srtp),
		srtpCryptoSuite: options.srtp?.cryptoSuite,
	});
	if (options.srtp) {
		await transport.connect({ srtpParameters: options.srtp });
	}
	const producer = await transport.produce({
		kind: 'audio',
		rtpParameters: speakerRtpParameters(speaker, `loadgen-${speaker.ssrc}`),
	});
	speaker.connect(transport.tuple.localAddress, transport.tuple.localPort);
	return { transport, producer };
}

/** The mediasoup RTP parameters describing what `speaker` sends (Opus, its SSRC, its header extensions). */
export function speakerRtpParameters(speaker: RtpSpeaker, cname: string): types.RtpParameters {
	const ids = speaker.headerExtensionIds;

	return {
		codecs: [
			{
				mimeType: 'audio/opus',
				payloadType: speaker.payloadType,
				clockRate: 48_000,
				channels: 2,
				parameters: { minptime: 10, useinbandfec: 1 },
			},
		],
		encodings: [{ ssrc: speaker.ssrc }],
		headerExtensions: [
			...(ids.absCaptureTime ? [{ uri: HeaderExtension.AbsCaptureTime.uri, id: ids.absCaptureTime }] : []),
			...(ids.audioLevel ? [{ uri: HeaderExtension.AudioLevel.uri, id: ids.audioLevel }] : []),
		],
		rtcp: { cname, reducedSize: true },
	};
}

/** Creates a listener: a PlainTransport (SRTP with `cryptoSuite`, else plain RTP) consuming `producers` into a new sink. */
export async function consumeToSink(
	router: types.Router,
	producers: readonly types.Producer[],
	options: { cryptoSuite?: SrtpCryptoSuite; listenIp?: string; sink?: Omit<RtpSinkOptions, 'srtp'> } = {}
): Promise<ListenerEndpoint> {
	const ip = options.listenIp ?? '127.0.0.1';
	const transport = await router.createPlainTransport({
		listenInfo: { protocol: 'udp', ip },
		rtcpMux: true,
		comedia: false,
		enableSrtp: Boolean(options.cryptoSuite),
		srtpCryptoSuite: options.cryptoSuite,
	});
	let sink: RtpSink | undefined;
	try {
		// transport.srtpParameters is mediasoup's sending key: what the sink decrypts with.
		sink = await RtpSink.create({ ...options.sink, bindIp: ip, srtp: transport.srtpParameters });
		// SRTP needs a key for the other direction too, although the sink never sends.
		await transport.connect({
			ip,
			port: sink.port,
			srtpParameters: options.cryptoSuite ? createSrtpParameters(options.cryptoSuite) : undefined,
		});
		const consumers: types.Consumer[] = [];
		for (const producer of producers) {
			consumers.push(
				await transport.consume({ producerId: producer.id, rtpCapabilities: LISTENER_RTP_CAPABILITIES })
			);
		}
		return { transport, consumers, sink };
	} catch (error) {
		transport.close();
		await sink?.close();
		throw error;
	}
}

/** Closes a listener's transport (and so its consumers) and its sink. */
export async function closeListener(listener: ListenerEndpoint): Promise<void> {
	listener.transport.close();
	await listener.sink.close();
}
