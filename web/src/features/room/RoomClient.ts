import {
	CloseCode,
	ErrorCode,
	explainServerFrame,
	type JoinResponse,
	type Listener,
	type NotificationData,
	PROTOCOL_VERSION,
	type ReplyData,
	type RequestData,
	type RequestType,
	type ServerFrame,
	type ServerNotification,
	type ServerReply,
} from '@majlis/protocol';
import { Device } from 'mediasoup-client';
import type {
	Consumer,
	DtlsParameters,
	IceParameters,
	Producer,
	RtpCapabilities,
	RtpParameters,
	Transport,
	TransportOptions,
} from 'mediasoup-client/types';
import { ApiRequestError } from '../../api';
import { errorMessageKey } from '../../app/errorMessage';
import type { MessageKey } from '../../i18n';
import { joinRoom, setCohost, setModerator } from '../rooms/roomsApi';
import { AudioSink } from './lib/AudioSink';
import { reconnectDelay } from './lib/backoff';
import { DeltaOrderer } from './lib/DeltaOrderer';
import { mapGetUserMediaError } from './lib/micErrors';
import { InvalidStateError, RequestChannel, ServerRequestError } from './lib/RequestChannel';
import { applyDelta, stateFromSnapshot } from './lib/roomState';
import { useAudioStore } from './stores/useAudioStore';
import { useMicStore } from './stores/useMicStore';
import { announce, type CloseReason, initialRoomState, useRoomStore } from './stores/useRoomStore';

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
}

/** Options of {@link RoomClient}. */
export interface RoomClientOptions {
	/** The room to join. */
	roomId: string;
	/** Gets a join ticket; defaults to `POST /api/rooms/:id/join`. */
	join?: (roomId: string) => Promise<JoinResponse>;
	/** Timeout of each signalling request in ms. */
	requestTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;
// After an ICE restart the transport has this long to connect again before the client rejoins in full.
const ICE_RESTART_DEADLINE_MS = 15_000;
// Our own close code (application range) to force a full rejoin after media failed beyond repair.
const CLIENT_RESTART_CODE = 4900;
const MIC_CONSTRAINTS: MediaStreamConstraints = {
	audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
	video: false,
};

/** A failure that makes retrying pointless (banned, ended, gone, incompatible). */
class FatalJoinError extends Error {
	readonly reason: CloseReason;
	readonly messageKey: MessageKey;

	constructor(reason: CloseReason, messageKey: MessageKey) {
		super(reason);
		this.reason = reason;
		this.messageKey = messageKey;
	}
}

// Close codes after which rejoining cannot help.
function fatalClose(code: number | null): FatalJoinError | null {
	switch (code) {
		case CloseCode.RoomEnded: {
			return new FatalJoinError('ended', 'error.roomEnded');
		}
		case CloseCode.Removed: {
			return new FatalJoinError('removed', 'error.banned');
		}
		case CloseCode.Replaced: {
			return new FatalJoinError('replaced', 'room.closed.replaced');
		}
		case CloseCode.ProtocolVersion: {
			return new FatalJoinError('protocol', 'room.closed.protocol');
		}
		default: {
			return null;
		}
	}
}

function isFatal(error: unknown): FatalJoinError | null {
	if (error instanceof FatalJoinError) {
		return error;
	}
	if (error instanceof ApiRequestError) {
		if (error.code === ErrorCode.RoomEnded) {
			return new FatalJoinError('ended', 'error.roomEnded');
		}
		if (error.code === ErrorCode.Banned) {
			return new FatalJoinError('removed', 'error.banned');
		}
		if (error.status === 401 || error.status === 403 || error.status === 404 || error.status === 410) {
			return new FatalJoinError('failed', errorMessageKey(error));
		}
		if (error.status === 409 && error.code === ErrorCode.InvalidState) {
			return new FatalJoinError('failed', 'roompage.notStarted');
		}
	}
	if (error instanceof ServerRequestError) {
		switch (error.code) {
			case ErrorCode.RoomEnded: {
				return new FatalJoinError('ended', 'error.roomEnded');
			}
			case ErrorCode.Banned: {
				return new FatalJoinError('removed', 'error.banned');
			}
			case ErrorCode.ProtocolVersion: {
				return new FatalJoinError('protocol', 'room.closed.protocol');
			}
			case ErrorCode.Forbidden:
			case ErrorCode.NotFound: {
				return new FatalJoinError('failed', errorMessageKey(error));
			}
			default: {
				return null;
			}
		}
	}

	return null;
}

function signallingUrl(url: string): string {
	// The API may answer with a path or an http(s) URL; WebSocket needs an absolute ws(s) URL.
	const absolute = new URL(url, window.location.href);
	if (absolute.protocol === 'http:' || absolute.protocol === 'https:') {
		absolute.protocol = absolute.protocol === 'https:' ? 'wss:' : 'ws:';
	}

	return absolute.toString();
}

function openSocket(url: string): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url);
		const timer = setTimeout(() => {
			ws.close();
			reject(new Error('signalling connection timed out'));
		}, CONNECT_TIMEOUT_MS);
		ws.onopen = () => {
			clearTimeout(timer);
			resolve(ws);
		};
		ws.onclose = () => {
			clearTimeout(timer);
			reject(new Error('signalling connection failed'));
		};
	});
}

/**
 * The one object that talks to the SFU: owns the WebSocket, the mediasoup `Device`, the transports,
 * producer and consumers, and writes what it learns into the room, audio and mic stores. Components
 * call its methods and read the stores; they never touch the socket or WebRTC objects.
 */
export class RoomClient {
	/** The room this client is for. */
	readonly roomId: string;
	readonly #join: (roomId: string) => Promise<JoinResponse>;
	readonly #timeoutMs: number;
	readonly #audio: AudioSink;
	readonly #orderer: DeltaOrderer;
	// Incremented for every connection attempt; async work of an older session checks it and stops.
	#session = 0;
	#ws: WebSocket | null = null;
	#channel: RequestChannel | null = null;
	#device: Device | null = null;
	#recvTransport: Transport | null = null;
	#sendTransport: Transport | null = null;
	#producer: Producer | null = null;
	readonly #consumers = new Map<string, Consumer>();
	readonly #closedConsumers = new Set<string>();
	#micQueue: Promise<void> = Promise.resolve();
	#micFailed = false;
	#attempt = 0;
	#reconnectTimer: ReturnType<typeof setTimeout> | undefined;
	#closed = false;
	#leaving = false;
	#connecting = false;
	// How the socket closed while a connection attempt was still in progress.
	#closeDuringConnect: number | null = null;
	#restoreHand = false;
	// One pending deadline per transport: an ICE restart that does not reconnect in time gives way to a
	// full rejoin.
	readonly #iceDeadlines = new Map<Transport, ReturnType<typeof setTimeout>>();

	constructor(options: RoomClientOptions) {
		this.roomId = options.roomId;
		this.#join = options.join ?? joinRoom;
		this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
		this.#audio = new AudioSink((blocked) => useAudioStore.setState({ blocked }));
		this.#orderer = new DeltaOrderer((n) => this.#onNotification(n));
		useRoomStore.setState({ ...initialRoomState, roomId: this.roomId });
		useAudioStore.setState({ blocked: false, streams: 0 });
		useMicStore.setState({ status: 'off', error: null });
	}

	/** Whether the client was closed for good. */
	get closed(): boolean {
		return this.#closed;
	}

	/** Joins the room: ticket from the API, signalling, then receiving the stage's audio. */
	async join(): Promise<void> {
		useRoomStore.setState({ status: 'connecting', closeReason: null, closeError: null });
		try {
			await this.#connect();
		} catch (error) {
			const fatal = isFatal(error);
			if (fatal) {
				this.#finish(fatal.reason, fatal.messageKey);
			} else if (!this.#closed) {
				// A first join that fails for a transient reason keeps trying, like a dropped connection.
				this.#scheduleReconnect();
			}
		}
	}

	async #connect(): Promise<void> {
		this.#connecting = true;
		this.#closeDuringConnect = null;
		try {
			await this.#connectOnce();
		} catch (error) {
			throw fatalClose(this.#closeDuringConnect) ?? error;
		} finally {
			this.#connecting = false;
		}
	}

	async #connectOnce(): Promise<void> {
		const session = ++this.#session;
		this.#orderer.reset();
		const ticket = await this.#join(this.roomId);
		const ws = await openSocket(signallingUrl(ticket.signallingUrl));
		if (session !== this.#session || this.#closed) {
			ws.close(1000);

			return;
		}
		const channel = new RequestChannel({ send: (frame) => ws.send(frame), timeoutMs: this.#timeoutMs });
		this.#ws = ws;
		this.#channel = channel;
		ws.onmessage = (event) => this.#onFrame(session, event.data);
		ws.onclose = (event) => this.#onSocketClose(session, event.code);
		try {
			const { routerRtpCapabilities, snapshot } = await channel.request('session:join', {
				ticket: ticket.ticket,
				protocolVersion: PROTOCOL_VERSION,
				roomId: this.roomId,
			});
			const wasHandRaised = this.#restoreHand;
			useRoomStore.setState({ live: stateFromSnapshot(snapshot) });
			this.#orderer.start(snapshot.seq);

			const device = new Device();
			await device.load({ routerRtpCapabilities: routerRtpCapabilities as unknown as RtpCapabilities });
			this.#device = device;
			const info = await channel.request('transport:create', { direction: 'recv' });
			this.#recvTransport = this.#setUpTransport(
				session,
				device.createRecvTransport(asTransportOptions(info))
			);
			await channel.request('consume:start', {
				rtpCapabilities: device.recvRtpCapabilities as unknown as Record<string, unknown>,
			});
			if (session !== this.#session) {
				return;
			}
			this.#attempt = 0;
			useRoomStore.setState({ status: 'connected' });
			// After a reconnect, put the hand back up if the new session lost it.
			const self = useRoomStore.getState().live?.self;
			if (wasHandRaised && self && !self.handRaised && !self.onStage) {
				this.#request('hand:raise', {}).catch(() => undefined);
			}
			this.#syncMic();
		} catch (error) {
			if (session === this.#session) {
				this.#teardown();
				ws.onclose = null;
				ws.close(1000);
			}
			throw error;
		}
	}

	#setUpTransport(session: number, transport: Transport): Transport {
		transport.on('connect', ({ dtlsParameters }, callback, errback) => {
			this.#request('transport:connect', {
				transportId: transport.id,
				dtlsParameters: dtlsParameters as unknown as Record<string, unknown>,
			}).then(callback, errback);
		});
		transport.on('connectionstatechange', (state) => {
			if (session !== this.#session) {
				return;
			}
			if (state === 'connected') {
				this.#clearIceDeadline(transport);
			} else if (state === 'failed') {
				this.#restartIce(session, transport);
			}
		});

		return transport;
	}

	#clearIceDeadline(transport: Transport): void {
		clearTimeout(this.#iceDeadlines.get(transport));
		this.#iceDeadlines.delete(transport);
	}

	async #restartIce(session: number, transport: Transport): Promise<void> {
		if (!this.#iceDeadlines.has(transport)) {
			this.#iceDeadlines.set(
				transport,
				setTimeout(() => {
					this.#iceDeadlines.delete(transport);
					if (session === this.#session && !transport.closed && transport.connectionState !== 'connected') {
						this.#ws?.close(CLIENT_RESTART_CODE);
					}
				}, ICE_RESTART_DEADLINE_MS)
			);
		}
		try {
			const { iceParameters } = await this.#request('transport:restartIce', { transportId: transport.id });
			await transport.restartIce({ iceParameters: iceParameters as unknown as IceParameters });
		} catch {
			// ICE could not be repaired on this session: start over with a new one.
			if (session === this.#session) {
				this.#ws?.close(CLIENT_RESTART_CODE);
			}
		}
	}

	#request<T extends RequestType>(type: T, data: RequestData<T>): Promise<ReplyData<T>> {
		if (!this.#channel) {
			return Promise.reject(new InvalidStateError(`not connected, cannot send request [type:${type}]`));
		}

		return this.#channel.request(type, data);
	}

	#onFrame(session: number, raw: unknown): void {
		if (session !== this.#session || typeof raw !== 'string') {
			return;
		}
		let frame: ServerFrame;
		try {
			frame = JSON.parse(raw) as ServerFrame;
		} catch {
			console.warn('RoomClient | frame is not JSON');

			return;
		}
		if (import.meta.env.DEV) {
			const problem = explainServerFrame(frame);
			if (problem) {
				console.warn(`RoomClient | invalid server frame: ${problem}`, frame);
			}
		}
		if (typeof (frame as { id?: unknown }).id === 'number') {
			this.#channel?.receive(frame as ServerReply);
		} else if (typeof (frame as { type?: unknown }).type === 'string') {
			this.#orderer.push(frame as ServerNotification);
		}
	}

	#onNotification(notification: ServerNotification): void {
		switch (notification.type) {
			case 'consumer:new': {
				this.#consume(this.#session, notification.data as NotificationData<'consumer:new'>);

				return;
			}
			case 'consumer:closed': {
				this.#closeConsumer((notification.data as NotificationData<'consumer:closed'>).consumerId);

				return;
			}
			default: {
				break;
			}
		}
		const live = useRoomStore.getState().live;
		if (!live) {
			return;
		}
		const { state, announcements } = applyDelta(live, notification);
		useRoomStore.setState({ live: state });
		announce(announcements);
		if (notification.type === 'self:state') {
			this.#syncMic();
		}
	}

	async #consume(session: number, data: NotificationData<'consumer:new'>): Promise<void> {
		const transport = this.#recvTransport;
		if (!transport || session !== this.#session) {
			return;
		}
		try {
			const consumer = await transport.consume({
				id: data.consumerId,
				producerId: data.producerId,
				kind: data.kind,
				rtpParameters: data.rtpParameters as unknown as RtpParameters,
				appData: { userId: data.userId },
			});
			if (session !== this.#session || this.#closedConsumers.delete(data.consumerId)) {
				consumer.close();

				return;
			}
			this.#consumers.set(consumer.id, consumer);
			consumer.on('transportclose', () => this.#closeConsumer(consumer.id));
			this.#audio.add(consumer.id, consumer.track);
			useAudioStore.setState({ streams: this.#consumers.size });
			// The server created it paused; resuming now means the first packet finds a ready receiver.
			await this.#request('consumer:resume', { consumerId: consumer.id });
		} catch (error) {
			if (session === this.#session && !(error instanceof InvalidStateError)) {
				console.warn('RoomClient | could not consume', error);
			}
		}
	}

	#closeConsumer(consumerId: string): void {
		const consumer = this.#consumers.get(consumerId);
		if (!consumer) {
			// consumer:closed can overtake a consume() still in progress.
			this.#closedConsumers.add(consumerId);

			return;
		}
		this.#consumers.delete(consumerId);
		this.#audio.remove(consumerId);
		consumer.close();
		useAudioStore.setState({ streams: this.#consumers.size });
	}

	// Brings the microphone in line with `self`: produce while on stage, pause while muted, stop off stage.
	// Serialized, because self:state can change again while getUserMedia or produce is pending.
	#syncMic(): void {
		const session = this.#session;
		this.#micQueue = this.#micQueue
			.then(() => this.#applyMic(session))
			.catch((error: unknown) => {
				if (session === this.#session && !(error instanceof InvalidStateError)) {
					console.warn('RoomClient | microphone', error);
				}
			});
	}

	async #applyMic(session: number): Promise<void> {
		const self = useRoomStore.getState().live?.self;
		const connected = useRoomStore.getState().status === 'connected';
		if (session !== this.#session || this.#closed) {
			return;
		}
		if (!self?.onStage) {
			this.#stopMic();
			this.#micFailed = false;

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
		if (!connected || this.#micFailed || !this.#device) {
			return;
		}
		await this.#startMic(session, this.#device);
	}

	async #startMic(session: number, device: Device): Promise<void> {
		useMicStore.setState({ status: 'starting', error: null });
		const info = await this.#request('transport:create', { direction: 'send' });
		const transport = this.#setUpTransport(session, device.createSendTransport(asTransportOptions(info)));
		transport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
			this.#request('produce', {
				transportId: transport.id,
				kind,
				rtpParameters: rtpParameters as unknown as Record<string, unknown>,
			}).then(({ producerId }) => callback({ id: producerId }), errback);
		});
		this.#sendTransport = transport;
		let stream: MediaStream;
		try {
			if (!navigator.mediaDevices?.getUserMedia) {
				throw new TypeError('getUserMedia is not available (insecure context?)');
			}
			stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
		} catch (error) {
			this.#micFailed = true;
			this.#stopMic();
			useMicStore.setState({ status: 'failed', error: mapGetUserMediaError(error) });

			return;
		}
		const track = stream.getAudioTracks()[0];
		const self = useRoomStore.getState().live?.self;
		if (!track || session !== this.#session || !self?.onStage) {
			for (const t of stream.getTracks()) {
				t.stop();
			}
			if (session === this.#session) {
				this.#stopMic();
			}

			return;
		}
		track.addEventListener('ended', () => {
			// The device went away (unplugged, or revoked in the browser).
			if (this.#producer?.track === track) {
				this.#stopMic();
				this.#micFailed = true;
				useMicStore.setState({ status: 'failed', error: 'NotFound' });
			}
		});
		const producer = await transport.produce({
			track,
			stopTracks: true,
			codecOptions: { opusStereo: false, opusFec: true, opusDtx: true },
		});
		this.#producer = producer;
		// The server starts a new producer paused (muted); keep the local side in step.
		if (useRoomStore.getState().live?.self.muted !== false) {
			producer.pause();
		}
		useMicStore.setState({ status: 'on', error: null });
	}

	#stopMic(): void {
		this.#producer?.close();
		this.#producer = null;
		this.#sendTransport?.close();
		this.#sendTransport = null;
		if (useMicStore.getState().status !== 'failed') {
			useMicStore.setState({ status: 'off', error: null });
		}
	}

	#onSocketClose(session: number, code: number): void {
		if (session !== this.#session) {
			return;
		}
		this.#teardown();
		if (this.#connecting) {
			// The pending session:join (or transport setup) now rejects; #connect's caller decides.
			this.#closeDuringConnect = code;

			return;
		}
		const live = useRoomStore.getState().live;
		if (this.#leaving || this.#closed) {
			this.#finish('left');

			return;
		}
		if (code === CloseCode.RoomEnded || live?.ended) {
			this.#finish('ended');
		} else if (code === CloseCode.Removed || live?.closing === 'removed') {
			this.#finish('removed');
		} else if (code === CloseCode.Replaced || live?.closing === 'replaced') {
			this.#finish('replaced');
		} else if (code === CloseCode.ProtocolVersion) {
			this.#finish('protocol', 'room.closed.protocol');
		} else {
			// Moving, shutdown, network loss, our own ICE restart: rejoin with a fresh ticket.
			const immediate = code === CloseCode.Moving || live?.closing === 'moving';
			if (live) {
				// Nobody is heard while disconnected; the old speaking ring would be misleading.
				useRoomStore.setState({ live: { ...live, speaking: [] } });
			}
			this.#scheduleReconnect(immediate);
		}
	}

	#scheduleReconnect(immediate = false): void {
		if (this.#closed) {
			return;
		}
		const self = useRoomStore.getState().live?.self;
		this.#restoreHand = this.#restoreHand || (self?.handRaised ?? false);
		useRoomStore.setState({ status: 'reconnecting' });
		clearTimeout(this.#reconnectTimer);
		const delay = immediate ? 0 : reconnectDelay(this.#attempt++);
		this.#reconnectTimer = setTimeout(() => {
			if (this.#closed) {
				return;
			}
			this.#connect().then(
				() => {
					this.#restoreHand = false;
					announce([{ key: 'announce.reconnected' }]);
				},
				(error: unknown) => {
					const fatal = isFatal(error);
					if (fatal) {
						this.#finish(fatal.reason, fatal.messageKey);
					} else {
						this.#scheduleReconnect();
					}
				}
			);
		}, delay);
	}

	// Drops everything tied to one session (socket, channel, transports, consumers); keeps the stores.
	#teardown(): void {
		for (const timer of this.#iceDeadlines.values()) {
			clearTimeout(timer);
		}
		this.#iceDeadlines.clear();
		this.#channel?.close('socket closed');
		this.#channel = null;
		if (this.#ws) {
			this.#ws.onmessage = null;
			this.#ws.onclose = null;
			if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) {
				this.#ws.close(1000);
			}
			this.#ws = null;
		}
		this.#stopMic();
		this.#micFailed = false;
		for (const consumer of this.#consumers.values()) {
			consumer.close();
		}
		this.#consumers.clear();
		this.#closedConsumers.clear();
		this.#audio.clear();
		this.#recvTransport?.close();
		this.#recvTransport = null;
		this.#device = null;
		useAudioStore.setState({ streams: 0, blocked: false });
	}

	#finish(reason: CloseReason, error: MessageKey | null = null): void {
		this.#closed = true;
		this.#session++;
		clearTimeout(this.#reconnectTimer);
		this.#teardown();
		useMicStore.setState({ status: 'off', error: null });
		useRoomStore.setState({ status: 'closed', closeReason: reason, closeError: error });
	}

	async #act<T extends RequestType>(type: T, data: RequestData<T>): Promise<boolean> {
		try {
			await this.#request(type, data);

			return true;
		} catch (error) {
			useRoomStore.setState({
				actionError: { key: errorMessageKey(error), detail: (error as Error).message },
			});

			return false;
		}
	}

	/** Raises this client's hand (request to speak). */
	raiseHand(): Promise<boolean> {
		return this.#act('hand:raise', {});
	}

	/** Lowers this client's hand (cancel the request). */
	lowerHand(): Promise<boolean> {
		this.#restoreHand = false;

		return this.#act('hand:lower', {});
	}

	/** Accepts a stage invitation: comes up muted, and the microphone starts. */
	acceptInvite(): Promise<boolean> {
		return this.#act('stage:accept', {});
	}

	/** Declines a stage invitation. */
	declineInvite(): Promise<boolean> {
		return this.#act('stage:decline', {});
	}

	/** Mutes this client's microphone. */
	async mute(): Promise<boolean> {
		this.#producer?.pause();

		return this.#act('mic:mute', {});
	}

	/** Unmutes this client's microphone (retrying it first if it had failed). */
	async unmute(): Promise<boolean> {
		if (!this.#producer) {
			await this.retryMic();
			if (!this.#producer) {
				return false;
			}
		}
		const ok = await this.#act('mic:unmute', {});
		if (ok) {
			this.#producer?.resume();
		}

		return ok;
	}

	/** Tries the microphone again after a failure (call from a click so a new permission prompt may show). */
	async retryMic(): Promise<void> {
		this.#micFailed = false;
		useMicStore.setState({ status: 'off', error: null });
		this.#syncMic();
		await this.#micQueue;
	}

	/** Moves this client (no `userId`) or, for moderators, someone else off the stage. */
	moveToListeners(userId?: string): Promise<boolean> {
		return this.#act('stage:remove', userId ? { userId } : {});
	}

	/** Moderators: invites someone to the stage. */
	inviteToSpeak(userId: string): Promise<boolean> {
		return this.#act('stage:invite', { userId });
	}

	/** Moderators: mutes a stage member. */
	muteMember(userId: string): Promise<boolean> {
		return this.#act('speaker:mute', { userId });
	}

	/** Moderators: mutes everyone on stage but themselves. */
	muteAll(): Promise<boolean> {
		return this.#act('speaker:muteAll', {});
	}

	/** Moderators: removes someone from the room (a ban). */
	removeFromRoom(userId: string): Promise<boolean> {
		return this.#act('peer:remove', { userId });
	}

	/** Host: ends the room for everyone. */
	endRoom(): Promise<boolean> {
		return this.#act('room:end', {});
	}

	// Role appointments are room settings kept by the API; it tells the SFU, which updates everyone.
	async #rest(call: () => Promise<void>): Promise<boolean> {
		try {
			await call();

			return true;
		} catch (error) {
			useRoomStore.setState({
				actionError: { key: errorMessageKey(error), detail: (error as Error).message },
			});

			return false;
		}
	}

	/** Host: makes someone a co-host (`on`) or takes it back. */
	makeCohost(userId: string, on = true): Promise<boolean> {
		return this.#rest(() => setCohost(this.roomId, userId, on));
	}

	/** Host or co-host: makes someone a moderator (`on`) or takes it back. */
	makeModerator(userId: string, on = true): Promise<boolean> {
		return this.#rest(() => setModerator(this.roomId, userId, on));
	}

	/** A page of the people who are not on stage. */
	async listListeners(offset = 0, limit = 100): Promise<{ items: Listener[]; total: number }> {
		return this.#request('listeners:list', { offset, limit });
	}

	/** Retries audio playback the browser blocked; call from a click. */
	unlockAudio(): Promise<void> {
		return this.#audio.unlock();
	}

	/** Clears the last action error. */
	dismissError(): void {
		useRoomStore.setState({ actionError: null });
	}

	/** Counters from WebRTC stats of the consumers and the producer. */
	async getStats(): Promise<MediaStats> {
		const stats: MediaStats = {
			streams: this.#consumers.size,
			packetsReceived: 0,
			bytesReceived: 0,
			energy: 0,
			packetsSent: 0,
			bytesSent: 0,
		};
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
		const sent = await this.#producer?.getStats().catch(() => null);
		sent?.forEach((s: RTCOutboundRtpStreamStats & { type: string }) => {
			if (s.type === 'outbound-rtp') {
				stats.packetsSent += s.packetsSent ?? 0;
				stats.bytesSent += s.bytesSent ?? 0;
			}
		});

		return stats;
	}

	/** Leaves the room (tells the server, then closes); idempotent. */
	async leave(): Promise<void> {
		if (this.#closed || this.#leaving) {
			return;
		}
		this.#leaving = true;
		clearTimeout(this.#reconnectTimer);
		if (this.#channel && useRoomStore.getState().status === 'connected') {
			await Promise.race([
				this.#channel.request('session:leave', {}).catch(() => undefined),
				new Promise((resolve) => setTimeout(resolve, 1500)),
			]);
		}
		this.#finish('left');
	}
}

function asTransportOptions(info: ReplyData<'transport:create'>): TransportOptions {
	return {
		id: info.id,
		iceParameters: info.iceParameters as unknown as IceParameters,
		iceCandidates: info.iceCandidates as unknown as TransportOptions['iceCandidates'],
		dtlsParameters: info.dtlsParameters as unknown as DtlsParameters,
	};
}
