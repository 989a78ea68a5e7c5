import type { Socket } from 'node:dgram';
import { nowUs, readNtpTimestampUs } from './clock.js';
import { findHeaderExtension, HeaderExtension, isRtcp, rtpHeaderLength } from './rtpPacket.js';
import { SequenceTracker } from './SequenceTracker.js';
import { SrtpContext, type SrtpParameters } from './SrtpContext.js';
import { bindUdpSocket, closeUdpSocket } from './udpSocket.js';
import { InterarrivalJitter, LogHistogram } from './stats.js';

/** Options of an `RtpSink`. */
export type RtpSinkOptions = {
	/** SRTP parameters of the sender (a mediasoup PlainTransport's `srtpParameters`). */
	srtp?: SrtpParameters;
	/**
	 * Authenticate and decrypt the first and then every N-th packet of each stream. Default 1 (all). SRTP
	 * leaves the RTP header (sequence number, extensions) in clear, so loss and latency need no decryption:
	 * 0 skips it, and N > 1 still proves the keys while sparing the generator's CPU at thousands of sinks.
	 */
	verifyEvery?: number;
	/** Histogram for added latency in µs; pass one shared histogram to aggregate many sinks cheaply. */
	latency?: LogHistogram;
	/** abs-capture-time extension id. Default 10 (mediasoup's). */
	absCaptureTimeId?: number;
	/**
	 * Called with each verified payload (decrypted if SRTP) and its send time in µs (NaN if absent), e.g. to
	 * check both byte for byte.
	 */
	onPayload?: (ssrc: number, extendedSeq: number, payload: Buffer, sentUs: number) => void;
	/** Local address to bind. Default 127.0.0.1. */
	bindIp?: string;
};

/** What a sink knows about one received RTP stream (one SSRC). */
export class RtpStreamStats {
	/** RTP SSRC. */
	readonly ssrc: number;
	/** Sequence accounting: received, lost, duplicates, reordered. */
	readonly seq = new SequenceTracker();
	/** Datagrams received, duplicates included. */
	packets = 0;
	/** UDP payload bytes received. */
	bytes = 0;
	/** Wall-clock µs of the first packet (join → first packet). */
	readonly firstPacketUs: number;
	/** Wall-clock µs of the latest packet. */
	lastPacketUs: number;
	/** Packets that failed SRTP authentication. */
	authFailures = 0;
	/** Packets without a send timestamp (no latency sample). */
	withoutTimestamp = 0;
	/** RFC 3550 interarrival jitter (Opus's 48 kHz RTP clock). */
	readonly jitter = new InterarrivalJitter(48_000);

	constructor(ssrc: number, firstPacketUs: number) {
		this.ssrc = ssrc;
		this.firstPacketUs = firstPacketUs;
		this.lastPacketUs = firstPacketUs;
	}

	/**
	 * Accounts one received packet by its sequence number, RTP timestamp and arrival time (µs): packets,
	 * loss, jitter. Returns the extended sequence number, or a negative `SeqVerdict` for a duplicate or a
	 * packet too old to tell (those leave the jitter alone).
	 */
	account(sequenceNumber: number, rtpTimestamp: number, arrivalUs: number): number {
		this.packets++;
		this.lastPacketUs = arrivalUs;
		const ext = this.seq.push(sequenceNumber);
		if (ext >= 0) {
			this.jitter.push(rtpTimestamp, arrivalUs);
		}
		return ext;
	}
}

/** Sums over all streams of a sink (or of many sinks, see `addTotals`). */
export type SinkTotals = {
	packets: number;
	bytes: number;
	expected: number;
	lost: number;
	duplicates: number;
	authFailures: number;
};

/** Sums over streams (of one sink, or of one WebRTC listener). */
export function streamTotals(streams: Iterable<RtpStreamStats>): SinkTotals {
	const totals: SinkTotals = { packets: 0, bytes: 0, expected: 0, lost: 0, duplicates: 0, authFailures: 0 };
	for (const s of streams) {
		totals.packets += s.packets;
		totals.bytes += s.bytes;
		totals.expected += s.seq.expected;
		totals.lost += s.seq.lost;
		totals.duplicates += s.seq.duplicates;
		totals.authFailures += s.authFailures;
	}
	return totals;
}

/** Adds `b` into `a` (to aggregate many sinks) and returns `a`. */
export function addTotals(a: SinkTotals, b: SinkTotals): SinkTotals {
	a.packets += b.packets;
	a.bytes += b.bytes;
	a.expected += b.expected;
	a.lost += b.lost;
	a.duplicates += b.duplicates;
	a.authFailures += b.authFailures;
	return a;
}

/** A UDP socket receiving one or many (S)RTP streams and measuring them: packets, loss, latency. */
export class RtpSink {
	readonly #socket: Socket;
	readonly #streams = new Map<number, RtpStreamStats>();
	readonly #latency: LogHistogram;
	readonly #srtp: SrtpContext | undefined;
	readonly #verifyEvery: number;
	readonly #absCaptureTimeId: number;
	readonly #onPayload: RtpSinkOptions['onPayload'];
	#rtcpPackets = 0;
	#invalidPackets = 0;

	/** Binds a socket on a free port and returns the sink. */
	static async create(options: RtpSinkOptions = {}): Promise<RtpSink> {
		return new RtpSink(await bindUdpSocket(options.bindIp ?? '127.0.0.1'), options);
	}

	private constructor(socket: Socket, options: RtpSinkOptions) {
		this.#socket = socket;
		this.#latency = options.latency ?? new LogHistogram();
		this.#srtp = options.srtp ? new SrtpContext(options.srtp) : undefined;
		this.#verifyEvery = options.verifyEvery ?? 1;
		this.#absCaptureTimeId = options.absCaptureTimeId ?? HeaderExtension.AbsCaptureTime.id;
		this.#onPayload = options.onPayload;
		socket.on('message', this.#onMessage);
	}

	/** Local UDP port to send to. */
	get port(): number {
		return this.#socket.address().port;
	}

	/** Per-SSRC statistics. */
	get streams(): ReadonlyMap<number, RtpStreamStats> {
		return this.#streams;
	}

	/** Added latency (receive time − send time) in µs. */
	get latency(): LogHistogram {
		return this.#latency;
	}

	/** RTCP datagrams received (rtcp-mux; counted, not parsed). */
	get rtcpPackets(): number {
		return this.#rtcpPackets;
	}

	/** Datagrams that were neither RTP nor RTCP. */
	get invalidPackets(): number {
		return this.#invalidPackets;
	}

	/** Sums over all streams. */
	totals(): SinkTotals {
		return streamTotals(this.#streams.values());
	}

	/** Closes the socket. */
	close(): Promise<void> {
		return closeUdpSocket(this.#socket);
	}

	// The hot path: no allocations of its own besides a stream's first packet and decryption.
	#onMessage = (packet: Buffer): void => {
		const now = nowUs();
		if (isRtcp(packet)) {
			this.#rtcpPackets++;
			return;
		}
		const headerLength = rtpHeaderLength(packet);
		if (headerLength < 0) {
			this.#invalidPackets++;
			return;
		}
		const ssrc = packet.readUInt32BE(8);
		let stream = this.#streams.get(ssrc);
		if (!stream) {
			stream = new RtpStreamStats(ssrc, now);
			this.#streams.set(ssrc, stream);
		}
		stream.bytes += packet.length;
		const ext = stream.account(packet.readUInt16BE(2), packet.readUInt32BE(4), now);
		if (ext < 0) {
			return;
		}
		const at = findHeaderExtension(packet, headerLength, this.#absCaptureTimeId, 8);
		const sentUs = at >= 0 ? readNtpTimestampUs(packet, at) : Number.NaN;
		if (at >= 0) {
			this.#latency.record(now - sentUs);
		} else {
			stream.withoutTimestamp++;
		}
		if (!this.#srtp) {
			this.#onPayload?.(ssrc, ext, packet.subarray(headerLength), sentUs);
		} else if (this.#verifyEvery > 0 && (stream.seq.received - 1) % this.#verifyEvery === 0) {
			const payload = this.#srtp.unprotectRtp(packet, headerLength, SequenceTracker.rolloverCounter(ext));
			if (payload) {
				this.#onPayload?.(ssrc, ext, payload, sentUs);
			} else {
				stream.authFailures++;
			}
		}
	};
}
