import { InvalidStateError, type SelfState } from '@majlis/protocol';
import type { Producer, Transport } from 'mediasoup-client/types';
import type { MicState } from '../stores/useMicStore';
import type { UpstreamCounters } from './diagnosis';
import { micConstraints } from './micDevice';
import { mapGetUserMediaError } from './micErrors';
import type { Session } from './RoomConnection';

const MIC_CONSTRAINTS: MediaStreamConstraints = {
	audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
	video: false,
};

/** Options of {@link Microphone}. */
export interface MicrophoneOptions {
	/** A send transport of the session; null while media is not started. */
	createSendTransport(session: Session): Promise<Transport> | null;
	/** This client's state in the room as it is now (read when a change is applied, not when queued). */
	self(): SelfState | undefined;
	/** Whether the room is connected now. */
	connected(): boolean;
	/** The microphone's status changed. */
	onChange(state: MicState): void;
}

/**
 * This client's microphone: produces while on stage, pauses while muted, stops off stage. Changes are
 * serialized, because `self:state` can change again while getUserMedia or produce is pending; a failure
 * (no permission, no device) sticks until {@link retry}.
 */
export class Microphone {
	readonly #options: MicrophoneOptions;
	#producer: Producer | null = null;
	#sendTransport: Transport | null = null;
	#queue: Promise<void> = Promise.resolve();
	#failed = false;
	#status: MicState['status'] = 'off';

	constructor(options: MicrophoneOptions) {
		this.#options = options;
	}

	/** Whether a producer exists (the microphone is connected). */
	get producing(): boolean {
		return this.#producer !== null;
	}

	#set(state: MicState): void {
		this.#status = state.status;
		this.#options.onChange(state);
	}

	/** Brings the microphone in line with `self` on `session`, after whatever change is still pending. */
	sync(session: Session): void {
		this.#queue = this.#queue
			.then(() => this.#apply(session))
			.catch((error: unknown) => {
				if (session.current && !(error instanceof InvalidStateError)) {
					console.warn('Microphone | sync', error);
				}
			});
	}

	/** Tries again after a failure (call from a click so a new permission prompt may show). */
	async retry(session: Session): Promise<void> {
		this.#failed = false;
		this.#set({ status: 'off', error: null });
		this.sync(session);
		await this.#queue;
	}

	/** Pauses the producer at once (the server is told by the caller). */
	pause(): void {
		this.#producer?.pause();
	}

	/** Resumes the producer. */
	resume(): void {
		this.#producer?.resume();
	}

	async #apply(session: Session): Promise<void> {
		const self = this.#options.self();
		const connected = this.#options.connected();
		if (!session.current) {
			return;
		}
		if (!self?.onStage) {
			this.stop();
			this.#failed = false;

			return;
		}
		if (this.#producer) {
			if (self.muted && !this.#producer.paused) {
				this.#producer.pause();
			} else if (!self.muted && this.#producer.paused) {
				this.#producer.resume();
			}

			return;
		}
		if (!connected || this.#failed) {
			return;
		}
		const transport = this.#options.createSendTransport(session);
		if (transport) {
			await this.#start(session, transport);
		}
	}

	async #start(session: Session, pending: Promise<Transport>): Promise<void> {
		this.#set({ status: 'starting', error: null });
		const transport = await pending;
		transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
			session
				.request('produce', {
					transportId: transport.id,
					kind,
					rtpParameters: rtpParameters as unknown as Record<string, unknown>,
				})
				.then(({ producerId }) => callback({ id: producerId }), errback);
		});
		this.#sendTransport = transport;
		let stream: MediaStream;
		try {
			if (!navigator.mediaDevices?.getUserMedia) {
				throw new TypeError('getUserMedia is not available (insecure context?)');
			}
			stream = await navigator.mediaDevices.getUserMedia(micConstraints(MIC_CONSTRAINTS));
		} catch (error) {
			this.#failed = true;
			this.stop();
			this.#set({ status: 'failed', error: mapGetUserMediaError(error) });

			return;
		}
		const track = stream.getAudioTracks()[0];
		if (!track || !session.current || !this.#options.self()?.onStage) {
			for (const t of stream.getTracks()) {
				t.stop();
			}
			if (session.current) {
				this.stop();
			}

			return;
		}
		track.addEventListener('ended', () => {
			// The device went away (unplugged, or revoked in the browser).
			if (this.#producer?.track === track) {
				this.stop();
				this.#failed = true;
				this.#set({ status: 'failed', error: 'NotFound' });
			}
		});
		const producer = await transport.produce({
			track,
			stopTracks: true,
			codecOptions: { opusStereo: false, opusFec: true, opusDtx: true },
		});
		this.#producer = producer;
		// The server starts a new producer paused (muted); keep the local side in step.
		if (this.#options.self()?.muted !== false) {
			producer.pause();
		}
		this.#set({ status: 'on', error: null });
	}

	/** Stops producing and closes the send transport; a failure stays shown. */
	stop(): void {
		this.#producer?.close();
		this.#producer = null;
		this.#sendTransport?.close();
		this.#sendTransport = null;
		if (this.#status !== 'failed') {
			this.#set({ status: 'off', error: null });
		}
	}

	/** Stops and forgets a failure: the session it belonged to is gone. */
	reset(): void {
		this.stop();
		this.#failed = false;
	}

	/** Turns off for good (the client closed), failure included. */
	off(): void {
		this.reset();
		this.#set({ status: 'off', error: null });
	}

	/** The track being sent, for the "you are muted" hint's level meter; null off stage. */
	get track(): MediaStreamTrack | null {
		return this.#producer?.track ?? null;
	}

	/** Sends from the microphone `deviceId` from now on (the mic check's choice); no-op off stage. */
	async switchDevice(deviceId: string): Promise<void> {
		const producer = this.#producer;
		if (!producer) {
			return;
		}
		const stream = await navigator.mediaDevices.getUserMedia(micConstraints(MIC_CONSTRAINTS, deviceId));
		const track = stream.getAudioTracks()[0];
		if (!track || this.#producer !== producer) {
			for (const t of stream.getTracks()) {
				t.stop();
			}

			return;
		}
		const old = producer.track;
		await producer.replaceTrack({ track });
		old?.stop();
	}

	/** Upstream counters for diagnostics: what was sent, and what the SFU reports back over RTCP. */
	async getUpstreamCounters(): Promise<UpstreamCounters | null> {
		const producer = this.#producer;
		if (!producer) {
			return null;
		}
		const counters: UpstreamCounters = {
			at: performance.now(),
			bytesSent: 0,
			packetsSent: 0,
			packetsLost: 0,
			fractionLost: 0,
			roundTripTime: null,
			paused: producer.paused,
		};
		const report = await producer.getStats().catch(() => null);
		report?.forEach((s: { type: string } & Record<string, unknown>) => {
			if (s.type === 'outbound-rtp') {
				counters.bytesSent += Number(s.bytesSent ?? 0);
				counters.packetsSent += Number(s.packetsSent ?? 0);
			} else if (s.type === 'remote-inbound-rtp') {
				counters.packetsLost += Number(s.packetsLost ?? 0);
				counters.fractionLost = Number(s.fractionLost ?? 0);
				counters.roundTripTime =
					typeof s.roundTripTime === 'number' ? s.roundTripTime : counters.roundTripTime;
			}
		});

		return counters;
	}

	/** Send counters of the producer. */
	async getStats(): Promise<{ packetsSent: number; bytesSent: number }> {
		const stats = { packetsSent: 0, bytesSent: 0 };
		const sent = await this.#producer?.getStats().catch(() => null);
		sent?.forEach((s: RTCOutboundRtpStreamStats & { type: string }) => {
			if (s.type === 'outbound-rtp') {
				stats.packetsSent += s.packetsSent ?? 0;
				stats.bytesSent += s.bytesSent ?? 0;
			}
		});

		return stats;
	}
}
