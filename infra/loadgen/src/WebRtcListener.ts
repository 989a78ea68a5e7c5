import type { RtpPacket } from 'werift';
import { nowUs, readNtpTimestampUs } from './clock.js';
import { RtpStreamStats, type SinkTotals, streamTotals } from './RtpSink.js';
import { HeaderExtension } from './rtpPacket.js';
import { SignallingClient } from './SignallingClient.js';
import type { CandidateFilter } from './sdp.js';
import { LogHistogram } from './stats.js';
import { WebRtcRecvTransport } from './WebRtcRecvTransport.js';
import { WEBRTC_OPUS_CAPABILITY, type WebRtcConsumer } from './WebRtcTransports.js';

/**
 * What a WebRTC listener asks for in `consume:start`: Opus and, with mediasoup's own ids, mid, the audio
 * level and abs-capture-time (which mediasoup forwards from the speaker unchanged: the send time).
 */
export const WEBRTC_LISTENER_RTP_CAPABILITIES = {
	codecs: [WEBRTC_OPUS_CAPABILITY],
	headerExtensions: [
		{ kind: 'audio', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1, direction: 'sendrecv' },
		...[HeaderExtension.AudioLevel, HeaderExtension.AbsCaptureTime].map(({ uri, id }) => ({
			kind: 'audio',
			uri,
			preferredId: id,
			direction: 'sendrecv',
		})),
	],
};

/** Options of `WebRtcListener.join()`. */
export type WebRtcListenerOptions = {
	/** Signalling WebSocket URL of the SFU node. */
	url: string;
	/** Join ticket for the room. */
	ticket: string;
	/** Histogram for added latency in µs (receive − abs-capture-time); pass one to aggregate many listeners. */
	latency?: LogHistogram;
	/** ICE candidates to use (default UDP). */
	candidates?: CandidateFilter;
};

/** The stretches of a WebRTC join, in ms (see `WebRtcListener.joinStretchesMs`). */
export type JoinStretches = {
	socket: number;
	join: number;
	consume: number;
	answer: number;
	iceDtls: number;
	firstPacket: number;
};

type JoinSignalled = { startUs: number; openUs: number; joinedUs: number };

/** One consumer's stream as a WebRTC listener received it. */
export type WebRtcStream = WebRtcConsumer & { stats: RtpStreamStats };

/**
 * A listener bot that is a real WebRTC client: a signalling WebSocket (`session:join`), a receive
 * transport on werift (ICE, DTLS, SRTP; see `WebRtcRecvTransport`), `consume:start`, and every consumer
 * resumed once its m-section is negotiated, like mediasoup-client. Measures, per consumer, what werift
 * hands to the track after SRTP: packets, loss from sequence numbers, RFC 3550 jitter, join → first
 * packet, and added latency from the speaker's abs-capture-time extension.
 */
export class WebRtcListener {
	/** The signalling connection. */
	readonly client: SignallingClient;
	/** The werift receive transport. */
	readonly transport: WebRtcRecvTransport;
	/** Wall-clock µs when joining started (before the WebSocket connected). */
	readonly joinStartUs: number;
	readonly #signalled: JoinSignalled;
	readonly #streams: ReadonlyMap<string, WebRtcStream>;

	private constructor(
		client: SignallingClient,
		transport: WebRtcRecvTransport,
		signalled: JoinSignalled,
		streams: ReadonlyMap<string, WebRtcStream>
	) {
		this.client = client;
		this.transport = transport;
		this.joinStartUs = signalled.startUs;
		this.#signalled = signalled;
		this.#streams = streams;
	}

	/**
	 * Join → first packet in stretches (ms), NaN where a milestone was not reached: WebSocket open,
	 * `session:join`, `transport:create` + `consume:start`, the local answer + `transport:connect`, ICE +
	 * DTLS after that, and the first packet after both DTLS and `consumers:resume`.
	 */
	joinStretchesMs(): JoinStretches {
		const { startUs, openUs, joinedUs } = this.#signalled;
		const {
			stageOfferedUs = Number.NaN,
			answeredUs = Number.NaN,
			connectedUs = Number.NaN,
		} = this.transport.marks;
		const readyUs = Math.max(connectedUs, this.transport.marks.resumedUs ?? Number.NaN);
		const ms = (from: number, to: number) => (to - from) / 1000;
		return {
			socket: ms(startUs, openUs),
			join: ms(openUs, joinedUs),
			consume: ms(joinedUs, stageOfferedUs),
			answer: ms(stageOfferedUs, answeredUs),
			iceDtls: ms(answeredUs, connectedUs),
			firstPacket: ms(readyUs, this.firstPacketUs),
		};
	}

	/** Connects, joins and starts receiving; resolves once the transport exists and consuming has started. */
	static async join(options: WebRtcListenerOptions): Promise<WebRtcListener> {
		const joinStartUs = nowUs();
		const latency = options.latency ?? new LogHistogram();
		const streams = new Map<string, WebRtcStream>();
		const onRtp = (consumer: WebRtcConsumer, packet: RtpPacket): void => {
			const now = nowUs();
			const { header } = packet;
			let stream = streams.get(consumer.consumerId);
			if (!stream) {
				stream = { ...consumer, stats: new RtpStreamStats(header.ssrc, now) };
				streams.set(consumer.consumerId, stream);
			}
			const { stats } = stream;
			stats.bytes += header.serializeSize + packet.payload.length;
			if (stats.account(header.sequenceNumber, header.timestamp, now) < 0) {
				return;
			}
			const sentUs = sendTimeUs(header.extensions);
			if (Number.isNaN(sentUs)) {
				stats.withoutTimestamp++;
			} else {
				latency.record(now - sentUs);
			}
		};
		const client = await SignallingClient.connect(options.url);
		const openUs = nowUs();
		try {
			await client.join(options.ticket);
			const joinedUs = nowUs();
			const transport = await WebRtcRecvTransport.create(client, options.candidates ?? 'udp', {
				rtpCapabilities: WEBRTC_LISTENER_RTP_CAPABILITIES,
				// The whole stage in one renegotiation, as the web client receives it.
				batch: true,
				onRtp,
			});
			return new WebRtcListener(client, transport, { startUs: joinStartUs, openUs, joinedUs }, streams);
		} catch (error) {
			await client.close();
			throw error;
		}
	}

	/** Streams received so far, by consumer id. */
	get streams(): ReadonlyMap<string, WebRtcStream> {
		return this.#streams;
	}

	/** Wall-clock µs of the first packet of any stream (NaN before it). */
	get firstPacketUs(): number {
		let first = Number.POSITIVE_INFINITY;
		for (const { stats } of this.#streams.values()) {
			first = Math.min(first, stats.firstPacketUs);
		}
		return Number.isFinite(first) ? first : Number.NaN;
	}

	/** Sums over all streams (`authFailures` stays 0: werift drops what fails SRTP before we see it). */
	totals(): SinkTotals {
		return streamTotals([...this.#streams.values()].map((s) => s.stats));
	}

	/** Errors met while setting up consumers. */
	get errors(): readonly Error[] {
		return this.transport.errors;
	}

	/** Closes the peer connection and the socket. */
	async close(): Promise<void> {
		await this.transport.close().catch(() => undefined);
		await this.client.close().catch(() => undefined);
	}
}

/**
 * The send time in an abs-capture-time extension (Unix µs), or NaN without one. Only the first 8 bytes
 * (the capture timestamp) are read; mediasoup adds the 8-byte clock offset.
 */
export function sendTimeUs(
	extensions: readonly { id: number; payload: Buffer }[],
	id: number = HeaderExtension.AbsCaptureTime.id
): number {
	for (const e of extensions) {
		if (e.id === id && e.payload.length >= 8) {
			return readNtpTimestampUs(e.payload, 0);
		}
	}
	return Number.NaN;
}
