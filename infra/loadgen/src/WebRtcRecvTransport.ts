// The receive side of the werift WebRTC endpoints (see WebRtcTransports.ts): a real RTCPeerConnection that
// mediasoup's consumers are negotiated onto, as mediasoup-client does in a browser.
import type { ConsumerInfo, NotificationData, TransportInfo } from '@majlis/protocol';
import type { RTCPeerConnection, RtpPacket } from 'werift';
import { nowUs } from './clock.js';
import { type CandidateFilter, consumerMedia, parseLocalSdp, type RemoteMedia, remoteSdp } from './sdp.js';
import {
	newPeerConnection,
	type SignallingChannel,
	WEBRTC_RECV_RTP_CAPABILITIES,
	type WebRtcConsumer,
	waitConnected,
} from './WebRtcTransports.js';

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
	// ICE and DTLS of the first negotiation: waited for after the consumers are acknowledged, not before.
	#connecting: Promise<void> = Promise.resolve();
	#version = 1;
	#iceParameters: Record<string, unknown> | undefined;
	#stop: () => void = () => {};
	/** Consumers set up (id → producing user). */
	readonly consumers = new Map<string, string>();
	/** Errors met while handling consumers. */
	readonly errors: Error[] = [];
	/** Wall-clock µs of the join's milestones (for the bench's breakdown of join → first packet). */
	readonly marks: { stageOfferedUs?: number; answeredUs?: number; resumedUs?: number; connectedUs?: number } =
		{};

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
		transport.marks.stageOfferedUs = nowUs();
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
		await this.#connecting;
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
			this.marks.resumedUs = nowUs();
		}
		await this.#connecting;
	}

	// Adds the consumer's m-section to the next remote offer.
	#register(consumer: ConsumerInfo): void {
		const media = consumerMedia(consumer, String(this.#media.length));
		const info: WebRtcConsumer = {
			consumerId: consumer.consumerId,
			producerId: consumer.producerId,
			userId: consumer.userId,
		};
		this.#media.push({ ...media, ...info });
		this.#byMid.set(media.mid, info);
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
			this.marks.answeredUs = nowUs();
			// As mediasoup-client: the consumers are acknowledged while ICE and DTLS run, so the first
			// packet leaves as soon as DTLS is up instead of one more round trip later.
			this.#connecting = waitConnected(this.#pc).then(() => {
				this.marks.connectedUs = nowUs();
			});
			this.#connecting.catch(() => undefined);
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
