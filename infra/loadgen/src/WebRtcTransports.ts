// Real WebRTC endpoints on werift (ICE, DTLS, SRTP) against the SFU's mediasoup WebRtcTransports, driven
// through Majlis signalling the way mediasoup-client drives them in a browser. Used by the load generator's
// WebRTC listeners and, through a thin wrapper, by the SFU's media tests.
import type { ReplyData, RequestData, RequestType, TransportInfo } from '@majlis/protocol';
import {
	MediaStreamTrack,
	RTCPeerConnection,
	RtpHeader,
	RtpPacket,
	useAudioLevelIndication,
	useOPUS,
	useSdesMid,
} from 'werift';
import { type CandidateFilter, parseLocalSdp, remoteSdp, type RtpCodec } from './sdp.js';

/** The RTP header extension of the m-section id. */
export const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/**
 * What the WebRTC transports need from a signalling connection: requests, and every notification from
 * now on. `SignallingClient` is one; a test client can be adapted in two lines.
 */
export interface SignallingChannel {
	/** Sends a request and resolves with its reply data (rejects when refused). */
	request<T extends RequestType>(type: T, data: RequestData<T>): Promise<ReplyData<T>>;
	/** Calls `listener` with every notification from now on; returns a function that stops it. */
	subscribe(listener: (type: string, data: Record<string, unknown>) => void): () => void;
}

/** A valid 20 ms Opus frame (TOC 0xf8: CELT fullband 20 ms, mono, one frame) of silence. */
export const OPUS_SILENCE_FRAME = Buffer.from([0xf8, 0xff, 0xfe]);

/** The Opus codec werift receives, in mediasoup's RTP capabilities format. */
export const WEBRTC_OPUS_CAPABILITY = {
	kind: 'audio',
	mimeType: 'audio/opus',
	preferredPayloadType: 111,
	clockRate: 48000,
	channels: 2,
	parameters: { minptime: 10, useinbandfec: 1 },
	rtcpFeedback: [],
};

/**
 * RTP capabilities of the werift receiver, in mediasoup's format, for `consume:start`: Opus and the mid
 * extension. (The audio-level entry's id is not mediasoup's, so consumers carry mid only; the SFU tests
 * were written against exactly this.)
 */
export const WEBRTC_RECV_RTP_CAPABILITIES = {
	codecs: [WEBRTC_OPUS_CAPABILITY],
	headerExtensions: [
		{ kind: 'audio', uri: MID_URI, preferredId: 1, preferredEncrypt: false, direction: 'sendrecv' },
		{ kind: 'audio', uri: AUDIO_LEVEL_URI, preferredId: 10, preferredEncrypt: false, direction: 'sendrecv' },
	],
};

/** What a receive transport knows about one consumer. */
export type WebRtcConsumer = { consumerId: string; producerId: string; userId: string };

/** A werift peer connection for Opus with mid and audio level, using only `candidates` (no STUN). */
export function newPeerConnection(candidates: CandidateFilter): RTCPeerConnection {
	return new RTCPeerConnection({
		codecs: { audio: [useOPUS()], video: [] },
		headerExtensions: { audio: [useSdesMid(), useAudioLevelIndication()], video: [] },
		// werift's default asks a public STUN server for a reflexive candidate: the SFU is on this host, and
		// nothing may leave it.
		iceServers: [],
		iceUseTcp: candidates === 'tcp',
		iceUseIpv6: false,
	});
}

/** Resolves once `pc` is connected; rejects when it fails or after `timeoutMs`. */
export async function waitConnected(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<void> {
	if (pc.connectionState === 'connected') {
		return;
	}
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`WebRTC not connected (${pc.connectionState})`)),
			timeoutMs
		);
		const sub = pc.connectionStateChange.subscribe((state) => {
			if (state === 'connected') {
				clearTimeout(timer);
				sub.unSubscribe();
				resolve();
			} else if (state === 'failed') {
				clearTimeout(timer);
				sub.unSubscribe();
				reject(new Error('WebRTC connection failed'));
			}
		});
	});
}

/**
 * A send transport on a real werift RTCPeerConnection: `transport:create send`, a local offer with one
 * audio m-section, `transport:connect` with its DTLS fingerprint, and a remote answer written from
 * mediasoup's parameters. `produce()` announces the track; `startTone()` sends Opus RTP (valid Opus
 * frames with an RFC 6464 audio level, which drives the server's speaking indicator).
 */
export class WebRtcSendTransport {
	/** The server transport (`transport:create`'s reply). */
	readonly info: TransportInfo;
	readonly #pc: RTCPeerConnection;
	readonly #track: MediaStreamTrack;
	readonly #client: SignallingChannel;
	#payloadType = 111;
	#mid = '0';
	#ssrc = 0;
	#cname = '';
	#audioLevelId: number | undefined;
	#timer: NodeJS.Timeout | undefined;
	#seq = Math.floor(Math.random() * 60000);
	#timestamp = Math.floor(Math.random() * 1e9);
	/** RTP packets handed to the stack. */
	sent = 0;

	private constructor(
		client: SignallingChannel,
		info: TransportInfo,
		pc: RTCPeerConnection,
		track: MediaStreamTrack
	) {
		this.#client = client;
		this.info = info;
		this.#pc = pc;
		this.#track = track;
	}

	/** Creates the server transport and connects ICE/DTLS/SRTP to it. */
	static async create(
		client: SignallingChannel,
		candidates: CandidateFilter = 'udp'
	): Promise<WebRtcSendTransport> {
		const info = await client.request('transport:create', { direction: 'send' });
		const pc = newPeerConnection(candidates);
		const track = new MediaStreamTrack({ kind: 'audio' });
		pc.addTransceiver(track, { direction: 'sendonly' });
		const transport = new WebRtcSendTransport(client, info, pc, track);
		await transport.#negotiate(candidates);

		return transport;
	}

	async #negotiate(candidates: CandidateFilter): Promise<void> {
		const offer = await this.#pc.createOffer();
		await this.#pc.setLocalDescription(offer);
		const local = parseLocalSdp(this.#pc.localDescription!.sdp);
		const m = local.media[0]!;
		this.#mid = m.mid;
		this.#payloadType = m.payloadTypes.get('opus') ?? 111;
		this.#ssrc = m.ssrc ?? this.#pc.getTransceivers()[0]!.sender.ssrc;
		this.#cname = m.cname ?? 'werift';
		this.#audioLevelId = m.extensions.get(AUDIO_LEVEL_URI);
		// We offered actpass; mediasoup answers passive, so werift is the DTLS client.
		await this.#client.request('transport:connect', {
			transportId: this.info.id,
			dtlsParameters: { role: 'client', fingerprints: [local.fingerprint] },
		});
		const answer = remoteSdp(
			this.info,
			[
				{
					mid: this.#mid,
					direction: 'recvonly',
					codec: this.#codec(),
					headerExtensions: [...m.extensions].map(([uri, id]) => ({ uri, id })),
				},
			],
			'passive',
			candidates
		);
		await this.#pc.setRemoteDescription({ type: 'answer', sdp: answer });
		await waitConnected(this.#pc);
	}

	#codec(): RtpCodec {
		return {
			mimeType: 'audio/opus',
			payloadType: this.#payloadType,
			clockRate: 48000,
			channels: 2,
			parameters: { minptime: 10, useinbandfec: 1 },
		};
	}

	/** The RTP parameters mediasoup-client would send in `produce` for this track. */
	rtpParameters(): Record<string, unknown> {
		return {
			mid: this.#mid,
			codecs: [{ ...this.#codec(), rtcpFeedback: [] }],
			headerExtensions: [
				{ uri: MID_URI, id: 1 },
				...(this.#audioLevelId ? [{ uri: AUDIO_LEVEL_URI, id: this.#audioLevelId }] : []),
			],
			encodings: [{ ssrc: this.#ssrc }],
			rtcp: { cname: this.#cname, reducedSize: true },
		};
	}

	/** Announces the track (`produce`); resolves with the producer id. */
	async produce(): Promise<string> {
		const { producerId } = await this.#client.request('produce', {
			transportId: this.info.id,
			kind: 'audio',
			rtpParameters: this.rtpParameters(),
		});

		return producerId;
	}

	/**
	 * Sends a 20 ms Opus packet (`frames` in turn; silence by default) for every 20 ms of wall time, flagged
	 * with `level` (-dBov; 0 is loudest). Paced by the clock as a sound card paces a microphone: a late timer
	 * tick sends the frames that fell due meanwhile (up to 200 ms of them), so the RTP time keeps up with
	 * real time instead of drifting behind it under load.
	 */
	startTone(level = 20, frames: readonly Buffer[] = [OPUS_SILENCE_FRAME]): void {
		this.stopTone();
		let frame = 0;
		const startedAt = performance.now();
		let due = 0;
		const send = () => {
			this.#seq = (this.#seq + 1) & 0xffff;
			this.#timestamp = (this.#timestamp + 960) >>> 0;
			const header = new RtpHeader({
				payloadType: this.#payloadType,
				sequenceNumber: this.#seq,
				timestamp: this.#timestamp,
				marker: false,
				extensions: this.#audioLevelId
					? [{ id: this.#audioLevelId, payload: Buffer.from([0x80 | Math.min(127, level)]) }]
					: [],
			});
			// 20 ms frames given by the caller (a real tone for recording tests), in a loop.
			this.#track.writeRtp(new RtpPacket(header, frames[frame++ % frames.length]!));
			this.sent += 1;
		};
		this.#timer = setInterval(() => {
			const now = Math.floor((performance.now() - startedAt) / 20) + 1;
			// A longer stall than 200 ms is a gap (its frames are dropped, their time skipped), as a capture
			// buffer would overflow.
			if (now - due > 10) {
				this.#timestamp = (this.#timestamp + (now - due - 10) * 960) >>> 0;
				due = now - 10;
			}
			for (; due < now; due++) {
				send();
			}
		}, 20);
	}

	/** Stops sending. */
	stopTone(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** Closes the peer connection. */
	async close(): Promise<void> {
		this.stopTone();
		await this.#pc.close();
	}
}
