import type { ConsumerInfo, IceServer, NotificationData, ReplyData } from '@majlis/protocol';
import { Device } from 'mediasoup-client';
import type {
	Consumer,
	DtlsParameters,
	IceParameters,
	RtpCapabilities,
	RtpParameters,
	Transport,
	TransportOptions,
} from 'mediasoup-client/types';
import { AudioSink } from './AudioSink';
import { consumeStage } from './consumeStage';
import type { VoiceCounters } from './diagnosis';
import type { Session } from './RoomConnection';
import {
	DIRECT_CONNECT_DEADLINE_MS,
	hasRelay,
	type IcePolicy,
	type IceTrouble,
	iceRemedy,
	initialIcePolicy,
	mediaRoute,
} from './relayFallback';

// After an ICE restart the transport has this long to connect again before the client rejoins in full.
const ICE_RESTART_DEADLINE_MS = 15_000;

/** Receive and send counters for the "Connection details" panel (summed over consumers). */
export interface MediaStats {
	/** Remote audio streams. */
	streams: number;
	/** RTP packets received (inbound-rtp `packetsReceived`). */
	packetsReceived: number;
	/** Payload bytes received. */
	bytesReceived: number;
	/** Total audio energy of what was received and played (inbound-rtp `totalAudioEnergy`). */
	energy: number;
	/** RTP packets the microphone sent. */
	packetsSent: number;
	/** Payload bytes the microphone sent. */
	bytesSent: number;
	/** How received media travels: straight from the server, or through the TURN relay; null before it flows. */
	route?: 'direct' | 'relay' | null;
}

/** The network side of a session: TURN relays from the join reply and the person's relay choice. */
export interface MediaNetwork {
	/** TURN servers with their short-lived credentials (none when the server has no relay). */
	iceServers: readonly IceServer[];
	/** Always go through the relay ("Always connect through the relay" on this device). */
	forceRelay: boolean;
}

const NO_RELAY: MediaNetwork = { iceServers: [], forceRelay: false };

/** Playback news from a {@link Media}. */
export interface MediaEvents {
	/** The number of remote audio streams changed. */
	streams(count: number): void;
	/** The browser blocked (or unblocked) autoplay. */
	blocked(blocked: boolean): void;
}

/** What the room client needs of media; {@link MediaSession} is the WebRTC one, tests bring their own. */
export interface Media {
	/** Loads the device with the router's capabilities, creates the receive transport, starts consuming. */
	start(
		session: Session,
		routerRtpCapabilities: Record<string, unknown>,
		network?: MediaNetwork
	): Promise<void>;
	/** Sets up a paused consumer the server announced, then asks the server to resume it. */
	consume(session: Session, data: NotificationData<'consumer:new'>): Promise<void>;
	/** Drops a consumer whose producer closed. */
	closeConsumer(consumerId: string): void;
	/** A send transport for the microphone; null before {@link start}. */
	createSendTransport(session: Session): Promise<Transport> | null;
	/** Drops everything of the session (transports, consumers, playback); the object can start again. */
	stop(): void;
	/** Retries playback the browser blocked; call from a click. */
	unlock(): Promise<void>;
	/** Receive counters (the send side is the microphone's). */
	getStats(): Promise<MediaStats>;
	/** Per-voice receive counters for the diagnostics panel, and whether the receive transport is up. */
	getVoiceCounters(): Promise<{ transportConnected: boolean; voices: VoiceCounters[] }>;
	/** Silences (or restores) every remote voice on this device; receiving goes on. */
	setOutputMuted(muted: boolean): void;
	/** Plays through this output device (`setSinkId`); false where the browser cannot choose. */
	setOutputDevice(deviceId: string): Promise<boolean>;
}

function asTransportOptions(info: ReplyData<'transport:create'>): TransportOptions {
	return {
		id: info.id,
		iceParameters: info.iceParameters as unknown as IceParameters,
		iceCandidates: info.iceCandidates as unknown as TransportOptions['iceCandidates'],
		dtlsParameters: info.dtlsParameters as unknown as DtlsParameters,
	};
}

/**
 * The WebRTC side of one session, with mediasoup-client: the `Device`, the receive transport and its
 * consumers played through an {@link AudioSink}, send transports for the microphone, and ICE restarts
 * that give way to a full rejoin when the transport does not come back in time. With TURN relays, a
 * transport that cannot connect directly makes the client rejoin relay-only (see relayFallback.ts).
 */
export class MediaSession implements Media {
	readonly #events: MediaEvents;
	readonly #audio: AudioSink;
	#device: Device | null = null;
	#recvTransport: Transport | null = null;
	readonly #consumers = new Map<string, Consumer>();
	readonly #closedConsumers = new Set<string>();
	// One pending deadline per transport: an ICE restart that does not reconnect in time gives way to a
	// full rejoin.
	readonly #iceDeadlines = new Map<Transport, ReturnType<typeof setTimeout>>();
	// TURN: this session's relays and policy; `#fellBack` outlives sessions, so the rest of the visit stays
	// on the relay once direct media did not work.
	#network: MediaNetwork = NO_RELAY;
	#policy: IcePolicy = 'all';
	#fellBack = false;
	readonly #everConnected = new WeakSet<Transport>();
	readonly #connectDeadlines = new Map<Transport, ReturnType<typeof setTimeout>>();

	constructor(events: MediaEvents) {
		this.#events = events;
		this.#audio = new AudioSink((blocked) => events.blocked(blocked));
	}

	async start(
		session: Session,
		routerRtpCapabilities: Record<string, unknown>,
		network: MediaNetwork = NO_RELAY
	): Promise<void> {
		this.#network = network;
		this.#policy = initialIcePolicy({
			forceRelay: network.forceRelay,
			fellBack: this.#fellBack,
			relay: hasRelay(network.iceServers),
		});
		const device = new Device();
		await device.load({ routerRtpCapabilities: routerRtpCapabilities as unknown as RtpCapabilities });
		this.#device = device;
		const info = await session.request('transport:create', { direction: 'recv' });
		this.#recvTransport = this.#setUpTransport(session, device.createRecvTransport(this.#transportOptions(info)));
		await consumeStage(session, device.recvRtpCapabilities as unknown as Record<string, unknown>, (data) =>
			this.#setUp(session, data)
		);
	}

	createSendTransport(session: Session): Promise<Transport> | null {
		const device = this.#device;
		if (!device) {
			return null;
		}

		return session
			.request('transport:create', { direction: 'send' })
			.then((info) =>
				this.#setUpTransport(session, device.createSendTransport(this.#transportOptions(info)))
			);
	}

	#transportOptions(info: ReplyData<'transport:create'>): TransportOptions {
		return {
			...asTransportOptions(info),
			iceServers: this.#network.iceServers.map((s) => ({ ...s, urls: [...s.urls] })),
			iceTransportPolicy: this.#policy,
		};
	}

	#setUpTransport(session: Session, transport: Transport): Transport {
		transport.on('connect', ({ dtlsParameters }, callback, errback) => {
			// The transport starts trying now (first consume or produce); ICE may never even reach `connecting`
			// when no candidate pair can be tried, so the deadline starts here.
			this.#watchConnect(session, transport);
			session
				.request('transport:connect', {
					transportId: transport.id,
					dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
				})
				.then(callback, errback);
		});
		transport.on('connectionstatechange', (state) => {
			if (!session.current) {
				return;
			}
			if (state === 'connecting') {
				this.#watchConnect(session, transport);
			} else if (state === 'connected') {
				this.#everConnected.add(transport);
				clearTimeout(this.#iceDeadlines.get(transport));
				this.#iceDeadlines.delete(transport);
				clearTimeout(this.#connectDeadlines.get(transport));
				this.#connectDeadlines.delete(transport);
			} else if (state === 'failed') {
				this.#onTrouble(session, transport, 'failed');
			}
		});

		return transport;
	}

	// A transport that keeps trying without connecting (UDP silently dropped) may take long to say `failed`,
	// or never say it at all.
	#watchConnect(session: Session, transport: Transport): void {
		if (this.#connectDeadlines.has(transport) || this.#everConnected.has(transport)) {
			return;
		}
		this.#connectDeadlines.set(
			transport,
			setTimeout(() => {
				this.#connectDeadlines.delete(transport);
				if (session.current && !transport.closed && transport.connectionState !== 'connected') {
					this.#onTrouble(session, transport, 'slow');
				}
			}, DIRECT_CONNECT_DEADLINE_MS)
		);
	}

	#onTrouble(session: Session, transport: Transport, trouble: IceTrouble): void {
		const remedy = iceRemedy({
			trouble,
			policy: this.#policy,
			relay: hasRelay(this.#network.iceServers),
			everConnected: this.#everConnected.has(transport),
		});
		switch (remedy) {
			case 'relay':
				console.warn(`MediaSession | direct media ${trouble}: rejoining through the TURN relay`);
				this.#fellBack = true;
				session.restart();
				break;
			case 'restartIce':
				void this.#restartIce(session, transport);
				break;
			case 'rejoin':
				session.restart();
				break;
			case 'wait':
				break;
		}
	}

	async #restartIce(session: Session, transport: Transport): Promise<void> {
		if (!this.#iceDeadlines.has(transport)) {
			this.#iceDeadlines.set(
				transport,
				setTimeout(() => {
					this.#iceDeadlines.delete(transport);
					if (session.current && !transport.closed && transport.connectionState !== 'connected') {
						this.#onTrouble(session, transport, 'restartTimedOut');
					}
				}, ICE_RESTART_DEADLINE_MS)
			);
		}
		try {
			const { iceParameters } = await session.request('transport:restartIce', { transportId: transport.id });
			await transport.restartIce({ iceParameters: iceParameters as unknown as IceParameters });
		} catch {
			// ICE could not be repaired on this session: start over with a new one.
			session.restart();
		}
	}

	async consume(session: Session, data: NotificationData<'consumer:new'>): Promise<void> {
		const consumerId = await this.#setUp(session, data);
		if (consumerId !== undefined) {
			// The server created it paused; resuming now means the first packet finds a ready receiver.
			await session.request('consumer:resume', { consumerId });
		}
	}

	// Sets up a paused consumer for playback; its id, or undefined when the session moved on meanwhile.
	async #setUp(session: Session, data: ConsumerInfo): Promise<string | undefined> {
		const transport = this.#recvTransport;
		if (!transport || !session.current) {
			return undefined;
		}
		const consumer = await transport.consume({
			id: data.consumerId,
			producerId: data.producerId,
			kind: data.kind,
			rtpParameters: data.rtpParameters as unknown as RtpParameters,
			appData: { userId: data.userId },
		});
		if (!session.current || this.#closedConsumers.delete(data.consumerId)) {
			consumer.close();

			return undefined;
		}
		this.#consumers.set(consumer.id, consumer);
		consumer.on('transportclose', () => this.closeConsumer(consumer.id));
		this.#audio.add(consumer.id, consumer.track);
		this.#events.streams(this.#consumers.size);

		return consumer.id;
	}

	closeConsumer(consumerId: string): void {
		const consumer = this.#consumers.get(consumerId);
		if (!consumer) {
			// consumer:closed can overtake a consume() still in progress.
			this.#closedConsumers.add(consumerId);

			return;
		}
		this.#consumers.delete(consumerId);
		this.#audio.remove(consumerId);
		consumer.close();
		this.#events.streams(this.#consumers.size);
	}

	stop(): void {
		for (const timer of this.#iceDeadlines.values()) {
			clearTimeout(timer);
		}
		this.#iceDeadlines.clear();
		for (const timer of this.#connectDeadlines.values()) {
			clearTimeout(timer);
		}
		this.#connectDeadlines.clear();
		for (const consumer of this.#consumers.values()) {
			consumer.close();
		}
		this.#consumers.clear();
		this.#closedConsumers.clear();
		this.#audio.clear();
		this.#recvTransport?.close();
		this.#recvTransport = null;
		this.#device = null;
	}

	unlock(): Promise<void> {
		return this.#audio.unlock();
	}

	async getVoiceCounters(): Promise<{ transportConnected: boolean; voices: VoiceCounters[] }> {
		const consumers = [...this.#consumers.values()];
		const voices = await Promise.all(
			consumers.map(async (consumer): Promise<VoiceCounters> => {
				const counters: VoiceCounters = {
					userId: String(consumer.appData.userId),
					at: performance.now(),
					paused: consumer.paused,
					packetsReceived: 0,
					packetsLost: 0,
					bytesReceived: 0,
					jitter: 0,
					audioLevel: 0,
				};
				const report = await consumer.getStats().catch(() => null);
				report?.forEach((s: RTCInboundRtpStreamStats & { type: string }) => {
					if (s.type === 'inbound-rtp') {
						counters.packetsReceived += s.packetsReceived ?? 0;
						counters.packetsLost += s.packetsLost ?? 0;
						counters.bytesReceived += s.bytesReceived ?? 0;
						counters.jitter = Math.max(counters.jitter, s.jitter ?? 0);
						counters.audioLevel = Math.max(counters.audioLevel, s.audioLevel ?? 0);
					}
				});

				return counters;
			})
		);

		return { transportConnected: this.#recvTransport?.connectionState === 'connected', voices };
	}

	setOutputMuted(muted: boolean): void {
		this.#audio.setMuted(muted);
	}

	setOutputDevice(deviceId: string): Promise<boolean> {
		return this.#audio.setSinkId(deviceId);
	}

	async getStats(): Promise<MediaStats> {
		const stats: MediaStats = {
			streams: this.#consumers.size,
			packetsReceived: 0,
			bytesReceived: 0,
			energy: 0,
			packetsSent: 0,
			bytesSent: 0,
			route: null,
		};
		const transport = this.#recvTransport;
		if (transport && transport.connectionState === 'connected') {
			const report = await transport.getStats().catch(() => null);
			stats.route = report ? mediaRoute(report as ReadonlyMap<string, Record<string, unknown>>) : null;
		}
		const reports = await Promise.all(
			[...this.#consumers.values()].map((c) => c.getStats().catch(() => null as RTCStatsReport | null))
		);
		for (const report of reports) {
			report?.forEach((s: RTCInboundRtpStreamStats & { type: string }) => {
				if (s.type === 'inbound-rtp') {
					stats.packetsReceived += s.packetsReceived ?? 0;
					stats.bytesReceived += s.bytesReceived ?? 0;
					stats.energy += s.totalAudioEnergy ?? 0;
				}
			});
		}

		return stats;
	}
}
