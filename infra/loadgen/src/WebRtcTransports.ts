// Real WebRTC endpoints on werift (ICE, DTLS, SRTP) against the SFU's mediasoup WebRtcTransports, driven
// through Majlis signalling the way mediasoup-client drives them in a browser. Used by the load generator's
// WebRTC listeners and, through a thin wrapper, by the SFU's media tests.
import type { ConsumerInfo, NotificationData, ReplyData, RequestData, RequestType, TransportInfo } from '@majlis/protocol';
import {
	MediaStreamTrack,
	RTCPeerConnection,
	RtpHeader,
	RtpPacket,
	useAudioLevelIndication,
	useOPUS,
	useSdesMid,
} from 'werift';
import { type CandidateFilter, parseLocalSdp, type RemoteMedia, remoteSdp, type RtpCodec } from './sdp.js';

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
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

function newPeerConnection(candidates: CandidateFilter): RTCPeerConnection {
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

async function waitConnected(pc: RTCPeerConnection, timeoutMs = 10_000): Promise<void> {
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

/** Options of `WebRtcRecvTransport.create()`. */
export type WebRtcRecvOptions = {
	/** Send `consumer:resume` once a consumer's m-section is in place (default true), as mediasoup-client does. */
	autoResume?: boolean;
	/**
	 * Receive the stage that is on in one round (`consume:start` with `batch`: one renegotiation and one
	 * `consumers:resume`), as the web client does; default false (a `consumer:new` per voice).
	 */
	batch?: boolean;
	/** Capabilities for `consume:start` (default {@link WEBRTC_RECV_RTP_CAPABILITIES}). */
	rtpCapabilities?: Record<string, unknown>;
	/** Called with every RTP packet werift delivers (decrypted), and the consumer it belongs to. */
	onRtp?: (consumer: WebRtcConsumer, packet: RtpPacket) => void;
};

type RecvMedia = RemoteMedia & WebRtcConsumer;

/**
 * A receive transport on a real werift RTCPeerConnection. On each `consumer:new` it adds an m-section
 * to the remote offer (written from mediasoup's parameters and the consumer's RTP parameters),
 * renegotiates, and only then sends `consumer:resume`, like mediasoup-client. Counts the RTP packets
 * that arrive per producing user.
 */
export class WebRtcRecvTransport {
	/** The server transport (`transport:create`'s reply). */
	readonly info: TransportInfo;
	readonly #pc: RTCPeerConnection;
	readonly #client: SignallingChannel;
	readonly #media: RecvMedia[] = [];
	readonly #byMid = new Map<string, WebRtcConsumer>();
	readonly #received = new Map<string, number>();
	readonly #candidates: CandidateFilter;
	readonly #autoResume: boolean;
	readonly #onRtp: WebRtcRecvOptions['onRtp'];
	#chain: Promise<void> = Promise.resolve();
	#connected = false;
	#version = 1;
	#iceParameters: Record<string, unknown> | undefined;
	#stop: () => void = () => {};
	/** Consumers set up (id → producing user). */
	readonly consumers = new Map<string, string>();
	/** Errors met while handling consumers. */
	readonly errors: Error[] = [];

	private constructor(
		client: SignallingChannel,
		info: TransportInfo,
		pc: RTCPeerConnection,
		candidates: CandidateFilter,
		options: WebRtcRecvOptions
	) {
		this.#client = client;
		this.info = info;
		this.#pc = pc;
		this.#candidates = candidates;
		this.#autoResume = options.autoResume ?? true;
		this.#onRtp = options.onRtp;
		pc.ontrack = (event) => {
			const mid = event.transceiver.mid ?? '';
			event.track.onReceiveRtp.subscribe((packet) => {
				const consumer = this.#byMid.get(mid);
				const userId = consumer?.userId ?? 'unknown';
				this.#received.set(userId, (this.#received.get(userId) ?? 0) + 1);
				if (consumer) {
					this.#onRtp?.(consumer, packet);
				}
			});
		};
	}

	/**
	 * Creates the server transport, starts consuming, and handles every `consumer:new` that arrives on
	 * the client from now on.
	 */
	static async create(
		client: SignallingChannel,
		candidates: CandidateFilter = 'udp',
		options: WebRtcRecvOptions = {}
	): Promise<WebRtcRecvTransport> {
		const info = await client.request('transport:create', { direction: 'recv' });
		const transport = new WebRtcRecvTransport(
			client,
			info,
			newPeerConnection(candidates),
			candidates,
			options
		);
		transport.#stop = client.subscribe((type, data) => {
			if (type === 'consumer:new') {
				const consumer = data as ConsumerInfo;
				transport.#enqueue(() => transport.#add(consumer));
			} else if (type === 'consumer:closed') {
				const { consumerId } = data as NotificationData<'consumer:closed'>;
				transport.#enqueue(() => transport.#remove(consumerId));
			}
		});
		const { consumers = [] } = await client.request('consume:start', {
			rtpCapabilities: options.rtpCapabilities ?? WEBRTC_RECV_RTP_CAPABILITIES,
			...(options.batch ? { batch: true } : {}),
		});
		if (consumers.length > 0) {
			transport.#enqueue(() => transport.#addAll(consumers));
			await transport.#chain;
		}

		return transport;
	}

	#enqueue(job: () => Promise<void>): void {
		this.#chain = this.#chain.then(job).catch((error: Error) => {
			this.errors.push(error);
		});
	}

	async #add(consumer: ConsumerInfo): Promise<void> {
		this.#register(consumer);
		await this.#renegotiate();
		this.consumers.set(consumer.consumerId, consumer.userId);
		if (this.#autoResume) {
			await this.resume(consumer.consumerId);
		}
	}

	// A batched `consume:start`'s consumers: one renegotiation, one acknowledgement.
	async #addAll(consumers: readonly ConsumerInfo[]): Promise<void> {
		for (const consumer of consumers) {
			this.#register(consumer);
		}
		await this.#renegotiate();
		for (const { consumerId, userId } of consumers) {
			this.consumers.set(consumerId, userId);
		}
		if (this.#autoResume) {
			await this.#client.request('consumers:resume', { consumerIds: consumers.map((c) => c.consumerId) });
		}
	}

	// Adds the consumer's m-section to the next remote offer.
	#register(consumer: ConsumerInfo): void {
		const rtp = consumer.rtpParameters as {
			mid?: string;
			codecs: RtpCodec[];
			headerExtensions?: { uri: string; id: number }[];
			encodings: { ssrc: number }[];
			rtcp?: { cname?: string };
		};
		const mid = rtp.mid ?? String(this.#media.length);
		const info: WebRtcConsumer = {
			consumerId: consumer.consumerId,
			producerId: consumer.producerId,
			userId: consumer.userId,
		};
		this.#media.push({
			mid,
			direction: 'sendonly',
			codec: rtp.codecs[0]!,
			headerExtensions: rtp.headerExtensions ?? [],
			ssrc: rtp.encodings[0]?.ssrc,
			cname: rtp.rtcp?.cname,
			...info,
		});
		this.#byMid.set(mid, info);
	}

	/** Acknowledges a consumer (`consumer:resume`), as mediasoup-client does once the track is set up. */
	async resume(consumerId: string): Promise<void> {
		await this.#client.request('consumer:resume', { consumerId });
	}

	async #remove(consumerId: string): Promise<void> {
		const media = this.#media.find((m) => m.consumerId === consumerId);
		if (media) {
			media.direction = 'inactive';
			this.consumers.delete(consumerId);
			await this.#renegotiate();
		}
	}

	async #renegotiate(): Promise<void> {
		const info = this.#iceParameters ? { ...this.info, iceParameters: this.#iceParameters } : this.info;
		const offer = remoteSdp(info, this.#media, 'actpass', this.#candidates, this.#version++);
		await this.#pc.setRemoteDescription({ type: 'offer', sdp: offer });
		const answer = await this.#pc.createAnswer();
		await this.#pc.setLocalDescription(answer);
		if (!this.#connected) {
			this.#connected = true;
			const local = parseLocalSdp(this.#pc.localDescription!.sdp);
			// We answered `active` to mediasoup's actpass: werift is the DTLS client.
			await this.#client.request('transport:connect', {
				transportId: this.info.id,
				dtlsParameters: {
					role: local.setup === 'passive' ? 'server' : 'client',
					fingerprints: [local.fingerprint],
				},
			});
			await waitConnected(this.#pc);
		}
	}

	/**
	 * Simulates the client's network path going away (Wi-Fi → cellular): closes the werift ICE agent's
	 * sockets and forgets them, so nothing reaches it on the old address and the next gathering (an ICE
	 * restart) binds new ports. werift has no public API for this; it reaches into the agent.
	 */
	async dropNetworkPath(): Promise<void> {
		for (const ice of this.#pc.iceTransports) {
			const agent = ice.connection as unknown as { protocols: { close(): Promise<void> }[] };
			const sockets = agent.protocols;
			agent.protocols = [];
			await Promise.all(sockets.map((s) => s.close().catch(() => undefined)));
		}
	}

	/**
	 * Applies new server ICE parameters (from `transport:restartIce`) as mediasoup-client's
	 * `restartIce()` does on a receive transport: a new remote offer with the new ufrag/pwd, which makes
	 * werift restart its ICE agent, then the local answer. Resolves once ICE is connected again.
	 */
	async restartIce(iceParameters: Record<string, unknown>, timeoutMs = 10_000): Promise<void> {
		this.#iceParameters = iceParameters;
		const ice = this.#pc.iceTransports[0]!;
		const restarts = ice.iceRestarts;
		this.#enqueue(() => this.#renegotiate());
		await this.#chain;
		if (ice.iceRestarts === restarts) {
			throw new Error('werift did not restart ICE');
		}
		// werift only runs ICE checks from connect() while DTLS is not yet connected, so after a restart
		// on a live DTLS session nothing would check the new credentials: start the agent ourselves.
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([
			ice.start(),
			new Promise((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`ICE not connected after restart (${ice.state})`)),
					timeoutMs
				);
			}),
		]).finally(() => clearTimeout(timer));
	}

	/** RTP packets received from `userId`'s producer so far. */
	received(userId: string): number {
		return this.#received.get(userId) ?? 0;
	}

	/** Waits for pending consumer handling. */
	async settled(): Promise<void> {
		await this.#chain;
	}

	/** Closes the peer connection. */
	async close(): Promise<void> {
		this.#stop();
		await this.#chain.catch(() => undefined);
		await this.#pc.close();
	}
}
