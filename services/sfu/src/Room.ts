import {
	CloseCode,
	canModerate,
	type Listener,
	type LiveRoomInfo,
	type NotificationData,
	type NotificationType,
	type ReplyData,
	Role,
	roomPresenceKey,
	type SelfState,
	type Snapshot,
	type StageMember,
	speaksByDefault,
	type TransportInfo,
	type UserSummary,
} from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { ApiClient } from './ApiClient.js';
import type { Clock, Timer } from './Clock.js';
import { EnhancedEventEmitter } from './EnhancedEventEmitter.js';
import {
	BannedError,
	ConflictError,
	ForbiddenError,
	InvalidStateError,
	NotFoundError,
	RoomEndedError,
	UnavailableError,
	UnsupportedError,
} from './errors.js';
import { type Departure, LiveState, type StageEntry } from './LiveState.js';
import { Peer, type PeerChannel } from './Peer.js';
import {
	clientParameters,
	ROOM_MEDIA_CODECS,
	RoomMedia,
	type RoomMediaOptions,
	udpListenInfo,
} from './RoomMedia.js';
import { DEFAULT_MAX_CONSUMERS_PER_WORKER } from './RouterSet.js';
import { dispatchRoom, type RoomRequestType, type SessionRoom } from './signalling/dispatch.js';
import type { RoomStateStore } from './RoomStateStore.js';
import { type Throttled, throttle } from './throttle.js';
import { WorkerLoad } from './WorkerLoad.js';

/** How long a stage member who dropped (no `session:leave`) keeps their seat and mute state. */
export const DEFAULT_REJOIN_GRACE_MS = 15_000;

/** How long the presence count lives in the bus without a refresh (a dead node's count expires). */
export const PRESENCE_TTL_MS = 10_000;

/** Dependencies and settings of {@link Room.create}. */
export interface RoomOptions {
	/** Room id (the API's). */
	roomId: string;
	/** Worker to put the room's router on. */
	worker: types.Worker;
	/** Internal REST client of the API. */
	api: ApiClient;
	/** Live state persistence. */
	store: RoomStateStore;
	/** Bus, for the presence count. */
	bus: Bus;
	/** Time and timers. */
	clock: Clock;
	/** Logger (child per room is made here). */
	log: Logger;
	/** Transport settings. */
	media: RoomMediaOptions;
	/** How long a disconnected host keeps the room before a co-host takes over or it ends. */
	hostGraceMs: number;
	/** How long a dropped stage member keeps their seat; default {@link DEFAULT_REJOIN_GRACE_MS}. */
	rejoinGraceMs?: number;
	/** Minimum interval between `stage:speaking` notifications. */
	speakingIntervalMs?: number;
	/** Minimum interval between `listeners:count` notifications and presence writes. */
	countIntervalMs?: number;
	/** The node's live workers, for edge routers (fan-out across cores); default only `worker`. */
	workers?: () => readonly types.Worker[];
	/** Consumers per worker across the node (shared by its rooms); default one for this room. */
	load?: WorkerLoad;
	/** A worker is full at this many consumers; listeners then go to an edge router. Default 500. */
	maxConsumersPerWorker?: number;
	/** Accept `plain:create` (load generator); never in production. Default false. */
	allowPlainTransports?: boolean;
}

/** Why a room closed. */
export type RoomCloseReason = 'ended' | 'idle' | 'shutdown' | 'workerdied';

/** Events of a {@link Room}. */
export type RoomEvents = {
	/** The room closed (its router, transports and peers with it). */
	close: [RoomCloseReason];
	/** A connection joined (possibly replacing an earlier one of the same user). */
	peerjoined: [Peer];
	/** A connection left. */
	peerleft: [Peer];
	/** A stage member's microphone started (relay nodes pipe it). */
	producer: [types.Producer, string];
};

/** Media state of one peer (see {@link Room.diagnostics}). */
export interface PeerDiagnostics {
	/** The user. */
	userId: string;
	/** Their transports. */
	transports: {
		direction: 'send' | 'recv';
		iceState: string;
		dtlsState: string;
		protocol: 'udp' | 'tcp' | undefined;
	}[];
	/** Their microphone, if any. */
	producer: { paused: boolean } | null;
	/** How many streams they receive. */
	consumers: number;
}

/** What joining gives the session to send back. */
export interface JoinResult {
	/** The new peer. */
	peer: Peer;
	/** The room's RTP capabilities for mediasoup-client's Device. */
	routerRtpCapabilities: types.RtpCapabilities;
	/** The full state; the session fills in `seq`. */
	snapshot: Omit<Snapshot, 'seq'>;
}

function isOpus(codec: unknown): boolean {
	return (
		typeof codec === 'object' &&
		codec !== null &&
		typeof (codec as { mimeType?: unknown }).mimeType === 'string' &&
		(codec as { mimeType: string }).mimeType.toLowerCase() === 'audio/opus'
	);
}

/**
 * A live room: the aggregate that owns a mediasoup Router, its AudioLevelObserver, the connected
 * Peers and the room's {@link LiveState} (stage, hand queue, invitations, mutes, roles, bans). Every
 * request of a session lands here; the Room checks it against the state, applies the media side,
 * notifies the clients concerned and writes the state through to the bus. `close()` is idempotent and
 * cascades to peers, transports, producers and consumers.
 */
export class Room extends EnhancedEventEmitter<RoomEvents> implements SessionRoom {
	/** Room id. */
	readonly id: string;
	readonly #router: types.Router;
	readonly #media: RoomMedia;
	readonly #audioLevel: types.AudioLevelObserver;
	readonly #state: LiveState;
	readonly #peers = new Map<string, Peer>();
	readonly #options: RoomOptions;
	readonly #clock: Clock;
	readonly #log: Logger;
	readonly #throttledCount: Throttled;
	readonly #throttledSpeaking: Throttled;
	#speaking: string[] = [];
	#sentSpeaking = '';
	#sentCount = -1;
	#hostTimer: Timer | undefined;
	#pruneTimer: Timer | undefined;
	// Stage seats held for members whose connection dropped, until they rejoin or the grace ends.
	readonly #heldSeats = new Map<string, Timer>();
	#closed = false;
	#ending = false;

	private constructor(
		options: RoomOptions,
		router: types.Router,
		audioLevel: types.AudioLevelObserver,
		state: LiveState
	) {
		const log = options.log.child({ roomId: options.roomId });
		super(log);
		this.id = options.roomId;
		this.#options = options;
		this.#clock = options.clock;
		this.#log = log;
		this.#router = router;
		this.#media = new RoomMedia({
			origin: router,
			workers: options.workers ?? (() => [options.worker]),
			load: options.load ?? new WorkerLoad(),
			maxConsumersPerWorker: options.maxConsumersPerWorker ?? DEFAULT_MAX_CONSUMERS_PER_WORKER,
			media: options.media,
			allowPlainTransports: options.allowPlainTransports ?? false,
			producerCount: () => this.producerCount,
			onEdgeLost: (wasOn) => this.#onEdgeLost(wasOn),
			log,
		});
		this.#audioLevel = audioLevel;
		this.#state = state;
		this.#throttledCount = throttle(() => this.#sendCount(), options.countIntervalMs ?? 1000, this.#clock);
		this.#throttledSpeaking = throttle(
			() => this.#sendSpeaking(),
			options.speakingIntervalMs ?? 300,
			this.#clock
		);
		router.once('workerclose', () => this.close('workerdied'));
		audioLevel.on('volumes', (volumes) => {
			this.#speaking = volumes.map((v) => String(v.producer.appData.userId));
			this.#throttledSpeaking();
		});
		audioLevel.on('silence', () => {
			this.#speaking = [];
			this.#throttledSpeaking();
		});
	}

	/**
	 * Opens a room: reads its record from the API (refusing ended or unknown rooms), takes back the live
	 * state a previous node saved in the bus, and creates the Router and AudioLevelObserver.
	 */
	static async create(options: RoomOptions): Promise<Room> {
		const record = await options.api.getRoom(options.roomId);
		const saved = await options.store.load(options.roomId);
		const state = LiveState.open(record, saved, options.clock.now());
		const router = await options.worker.createRouter({
			mediaCodecs: ROOM_MEDIA_CODECS,
			appData: { worker: options.worker },
		});
		let audioLevel: types.AudioLevelObserver;
		try {
			audioLevel = await router.createAudioLevelObserver({ maxEntries: 16, threshold: -70, interval: 300 });
		} catch (error) {
			router.close();
			throw error;
		}
		const room = new Room(options, router, audioLevel, state);
		if (saved) {
			room.#log.info(
				{ stage: saved.stage.length, hands: saved.hands.length },
				'create() | took over saved live state'
			);
			// People restored from the bus have until the grace period ends to reconnect.
			room.#pruneTimer = room.#clock.setTimeout(() => room.#pruneAbsent(), options.hostGraceMs);
		}
		room.#persist();

		return room;
	}

	/** Whether the room is closed. */
	get closed(): boolean {
		return this.#closed;
	}

	/** Room settings. */
	get info(): LiveRoomInfo {
		return this.#state.info;
	}

	/** Connected peers. */
	get peerCount(): number {
		return this.#peers.size;
	}

	/** Producers (live microphones). */
	get producerCount(): number {
		let n = 0;
		for (const peer of this.#peers.values()) {
			n += peer.producer ? 1 : 0;
		}

		return n;
	}

	/** The live microphones (for metrics). */
	stageProducers(): types.Producer[] {
		return [...this.#peers.values()].flatMap((peer) =>
			peer.producer && !peer.producer.closed ? [peer.producer] : []
		);
	}

	/** Consumers across peers. */
	get consumerCount(): number {
		let n = 0;
		for (const peer of this.#peers.values()) {
			n += peer.consumers.size;
		}

		return n;
	}

	/**
	 * Per-peer media state, for diagnosing "I can't hear X" reports: each transport's ICE/DTLS state and
	 * selected protocol, whether the producer is paused, how many consumers.
	 */
	diagnostics(): PeerDiagnostics[] {
		return [...this.#peers.values()].map((peer) => ({
			userId: peer.id,
			transports: (['send', 'recv'] as const).flatMap((direction) => {
				const t = direction === 'send' ? peer.sendTransport : peer.recvTransport;

				return t?.type === 'webrtc'
					? [
							{
								direction,
								iceState: t.iceState,
								dtlsState: t.dtlsState,
								protocol: t.iceSelectedTuple?.protocol,
							},
						]
					: [];
			}),
			producer: peer.producer ? { paused: peer.producer.paused } : null,
			consumers: peer.consumers.size,
		}));
	}

	/**
	 * Where each peer's receive transport lives: the worker (pid) and whether it is an edge router fed by
	 * `pipeToRouter` (diagnostics, tests, the benchmark).
	 */
	receivePlacement(): { userId: string; workerPid: number | undefined; edge: boolean }[] {
		return [...this.#peers.values()].flatMap((peer) => {
			const placement = this.#media.placement(peer);

			return placement ? [{ userId: peer.id, ...placement }] : [];
		});
	}

	// ─── Membership ──────────────────────────────────────────────────────────

	/**
	 * Adds a connection. A second connection of the same user replaces the first (closed with
	 * `Replaced`); their stage place, mute and hand carry over. Host and co-hosts come on stage muted.
	 * Runs synchronously so the snapshot and the deltas that follow it are consistent.
	 */
	join(user: UserSummary, speakerGuest: boolean, channel: PeerChannel): JoinResult {
		if (this.#closed) {
			throw this.#ending
				? new RoomEndedError('the room has ended')
				: new UnavailableError('room is closing; retry');
		}
		if (this.#state.isBanned(user.id)) {
			throw new BannedError('you were removed from this room');
		}
		const now = this.#clock.now();
		if (speakerGuest && !this.#state.isSpeakerGuest(user.id)) {
			// The ticket is newer than the record read when the room opened.
			this.#state.setGuest(user.id, 'speaker');
		}
		this.#heldSeats.get(user.id)?.cancel();
		this.#heldSeats.delete(user.id);
		const previous = this.#peers.get(user.id);
		if (previous) {
			this.#peers.delete(user.id);
			previous.close(CloseCode.Replaced, 'replaced', () =>
				previous.notify('session:closing', { reason: 'replaced' })
			);
			// Their microphone went with the old connection.
			this.#broadcastMember(user.id);
		}
		// Deltas caused by this join go to the others now; the newcomer gets them in the snapshot.
		const staged = this.#state.autoStage(user, now);
		if (staged) {
			this.#broadcast('stage:member', this.#member(staged));
		}
		this.#checkHost(user.id);
		const peer = new Peer(user, channel, now);
		this.#peers.set(user.id, peer);
		this.#throttledCount();
		this.#persist();
		this.#log.info({ userId: user.id, replaced: Boolean(previous) }, 'join() | peer joined');
		this.safeEmit('peerjoined', peer);

		return { peer, routerRtpCapabilities: this.#media.rtpCapabilities, snapshot: this.#snapshot(user.id) };
	}

	/**
	 * A connection ended (socket closed or `session:leave`). A replaced connection changes nothing. Others
	 * lose their stage place and hand; the host keeps theirs during the grace period. A stage member whose
	 * connection `dropped` (no `session:leave`) keeps their seat and mute state for the rejoin grace, so a
	 * network change or a dead worker does not send them back to the audience.
	 */
	leave(peer: Peer, how: 'left' | 'dropped' = 'left'): void {
		peer.close(1000, 'left');
		if (this.#closed || this.#peers.get(peer.id) !== peer) {
			return;
		}
		this.#peers.delete(peer.id);
		if (peer.id !== this.#state.hostId) {
			if (how === 'dropped' && this.#state.isOnStage(peer.id)) {
				this.#holdSeat(peer.id);
				// Their microphone went with the connection.
				this.#broadcastMember(peer.id);
			} else {
				this.#announceDeparture(peer.id, this.#state.forget(peer.id));
			}
		}
		this.#checkHost();
		this.#throttledCount();
		this.#persist();
		this.#log.info({ userId: peer.id }, 'leave() | peer left');
		this.safeEmit('peerleft', peer);
		if (this.#peers.size === 0 && !this.#hostTimer) {
			this.close('idle');
		}
	}

	/** Answers one request of `peer` (validated against the protocol; see signalling/dispatch.ts). */
	request(peer: Peer, type: RoomRequestType, data: unknown): Promise<ReplyData<RoomRequestType>> {
		return dispatchRoom(this, peer, type, data);
	}

	// ─── Media ───────────────────────────────────────────────────────────────

	/**
	 * A PipeTransport (SRTP) on the origin Router towards a relay node, which consumes the stage through it
	 * (cluster/RoomRelays.ts); it closes with the room.
	 */
	async createRelayPipe(): Promise<types.PipeTransport> {
		this.#assertOpen();

		return this.#router.createPipeTransport({
			listenInfo: udpListenInfo(this.#options.media),
			enableSrtp: true,
			appData: { relay: true },
		});
	}

	/** Creates the peer's send (stage members only) or receive transport, replacing an earlier one. */
	async createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<TransportInfo> {
		this.#assertOpen();
		if (direction === 'send') {
			this.#assertMaySend(peer);
		}

		return this.#media.createTransport(peer, direction, () => this.#keeps(direction, peer));
	}

	/**
	 * Load generator only (`allowPlainTransports`): a plain RTP transport, SRTP when `srtp` is given.
	 * `recv` sends to `remote`; `send` learns the sender's address from its first packet (comedia).
	 */
	async createPlainTransport(
		peer: Peer,
		direction: 'send' | 'recv',
		remote: { ip: string; port: number } | undefined,
		srtp: { cryptoSuite: string; keyBase64: string } | undefined
	): ReturnType<RoomMedia['createPlainTransport']> {
		this.#assertOpen();
		if (direction === 'send') {
			this.#assertMaySend(peer);
		}

		return this.#media.createPlainTransport(peer, direction, remote, srtp, () =>
			this.#keeps(direction, peer)
		);
	}

	// Whether a transport just created is still wanted: the room is open and a sender is still on stage.
	#keeps(direction: 'send' | 'recv', peer: Peer): boolean {
		return !this.#closed && (direction === 'recv' || this.#state.isOnStage(peer.id));
	}

	// An edge router's worker died: its listeners reconnect through the API (the room itself lives on).
	#onEdgeLost(wasOn: (transport: NonNullable<Peer['recvTransport']>) => boolean): void {
		for (const peer of [...this.#peers.values()]) {
			const transport = peer.recvTransport;
			if (transport && wasOn(transport)) {
				peer.moveAway();
			}
		}
	}

	/** Completes a transport's DTLS with the client's parameters. */
	connectTransport(peer: Peer, transportId: string, dtlsParameters: Record<string, unknown>): Promise<void> {
		return this.#media.connectTransport(peer, transportId, dtlsParameters);
	}

	/** New ICE parameters for a transport. */
	restartIce(peer: Peer, transportId: string): Promise<Record<string, unknown>> {
		return this.#media.restartIce(peer, transportId);
	}

	/**
	 * Starts the peer's microphone: stage members only, Opus audio only, one producer per peer. It starts
	 * paused when the member is muted. Everyone receiving gets a consumer.
	 */
	async produce(
		peer: Peer,
		transportId: string,
		kind: string,
		rtpParameters: Record<string, unknown>
	): Promise<string> {
		this.#assertOpen();
		this.#assertMaySend(peer);
		const transport = peer.sendTransport;
		if (!transport || transport.id !== transportId) {
			throw new NotFoundError('no such send transport');
		}
		if (kind !== 'audio') {
			throw new UnsupportedError(`only audio can be sent, not ${kind}`);
		}
		const codecs = rtpParameters.codecs;
		if (!Array.isArray(codecs) || codecs.length === 0 || !codecs.every(isOpus)) {
			throw new UnsupportedError('only Opus audio can be sent');
		}
		if (peer.producer) {
			throw new ConflictError('already sending audio');
		}
		const muted = this.#state.stageEntry(peer.id)?.muted ?? true;
		const producer = await clientParameters(() =>
			transport.produce({
				kind: 'audio',
				rtpParameters: rtpParameters as unknown as types.RtpParameters,
				paused: muted,
				appData: { userId: peer.id },
			})
		);
		if (peer.closed || this.#closed || !this.#state.isOnStage(peer.id) || peer.producer) {
			producer.close();
			throw new InvalidStateError('state changed while creating the producer');
		}
		peer.setProducer(producer);
		producer.observer.once('close', () => this.#onProducerClosed(peer));
		// The member may have (un)muted while the producer was being created.
		await this.#applyMute(peer.id);
		this.#audioLevel
			.addProducer({ producerId: producer.id })
			.catch((error: unknown) => this.#log.warn({ err: error }, 'produce() | audio level observer refused'));
		this.#broadcastMember(peer.id);
		for (const other of this.#peers.values()) {
			if (other !== peer) {
				void this.#media.consume(other, { producer, userId: peer.id });
			}
		}
		this.safeEmit('producer', producer, peer.id);
		this.#log.debug({ userId: peer.id, producerId: producer.id, muted }, 'produce() | producing');

		return producer.id;
	}

	/** Starts receiving: a paused consumer (and `consumer:new`) per producer of the others. */
	async consumeStart(peer: Peer, rtpCapabilities: Record<string, unknown>): Promise<void> {
		this.#assertOpen();
		await this.#media.consumeStart(
			peer,
			rtpCapabilities,
			this.stageProducers().flatMap((producer) => {
				const userId = String(producer.appData.userId);

				return userId === peer.id ? [] : [{ producer, userId }];
			})
		);
	}

	/** The client is ready for a consumer's first packet: resume it. */
	resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
		return this.#media.resumeConsumer(peer, consumerId);
	}

	#onProducerClosed(peer: Peer): void {
		if (!this.#closed && this.#peers.get(peer.id) === peer && this.#state.isOnStage(peer.id)) {
			this.#broadcastMember(peer.id);
		}
	}

	// Makes the producer match the mute state (paused on the server: nothing is forwarded while muted).
	async #applyMute(userId: string): Promise<void> {
		const producer = this.#peers.get(userId)?.producer;
		const muted = this.#state.stageEntry(userId)?.muted ?? true;
		if (!producer || producer.closed || producer.paused === muted) {
			return;
		}
		try {
			await (muted ? producer.pause() : producer.resume());
		} catch (error) {
			this.#log.warn({ err: error, userId }, 'applyMute() | producer change failed');
		}
	}

	// ─── Stage and hands ─────────────────────────────────────────────────────

	/** Raises the peer's hand (room policy permitting); moderators see it. */
	raiseHand(peer: Peer): void {
		this.#assertOpen();
		const hand = this.#state.raiseHand(peer.user, this.#clock.now());
		if (hand) {
			this.#toModerators('hand:raised', hand);
			this.#sendSelf(peer.id);
			this.#persist();
		}
	}

	/** Lowers the peer's hand (no-op when it is down). */
	lowerHand(peer: Peer): void {
		this.#assertOpen();
		if (this.#state.lowerHand(peer.id)) {
			this.#toModerators('hand:lowered', { userId: peer.id });
			this.#sendSelf(peer.id);
			this.#persist();
		}
	}

	/** A moderator offers someone in the room a place on stage. */
	invite(peer: Peer, targetId: string): void {
		this.#assertOpen();
		const target = this.#peers.get(targetId);
		if (!target) {
			throw new NotFoundError('user is not in the room');
		}
		const { handLowered } = this.#state.invite(peer.id, targetId);
		if (handLowered) {
			this.#toModerators('hand:lowered', { userId: targetId });
		}
		target.notify('stage:invited', { by: peer.user });
		this.#sendSelf(targetId);
		this.#persist();
	}

	/** Comes on stage, muted (invitation, speaker guest, or host/co-host). */
	acceptStage(peer: Peer): void {
		this.#assertOpen();
		const { entry, handLowered } = this.#state.accept(peer.user, this.#clock.now());
		this.#broadcast('stage:member', this.#member(entry));
		if (handLowered) {
			this.#toModerators('hand:lowered', { userId: peer.id });
		}
		this.#sendSelf(peer.id);
		this.#throttledCount();
		this.#persist();
	}

	/** Declines an invitation. */
	declineStage(peer: Peer): void {
		this.#assertOpen();
		this.#state.decline(peer.id);
		this.#sendSelf(peer.id);
		this.#persist();
	}

	/** Moves a stage member (oneself or, for moderators, someone they outrank) back to the listeners. */
	removeFromStage(peer: Peer, targetId: string): void {
		this.#assertOpen();
		this.#state.leaveStage(peer.id, targetId);
		// Listeners only receive: their microphone and send transport go.
		this.#peers.get(targetId)?.closeSendTransport();
		this.#broadcast('stage:left', { userId: targetId });
		this.#sendSelf(targetId);
		this.#throttledCount();
		this.#persist();
	}

	// Mute requests resolve once the producer is paused or resumed on the server.

	/** Mutes oneself (pauses the producer). */
	async muteSelf(peer: Peer): Promise<void> {
		this.#assertOpen();
		if (this.#state.mute(peer.id, peer.id)) {
			this.#broadcastMember(peer.id);
			this.#sendSelf(peer.id);
			this.#persist();
			await this.#applyMute(peer.id);
		}
	}

	/** Unmutes oneself (resumes the producer); only the speaker can. */
	async unmuteSelf(peer: Peer): Promise<void> {
		this.#assertOpen();
		if (this.#state.unmute(peer.id)) {
			this.#broadcastMember(peer.id);
			this.#sendSelf(peer.id);
			this.#persist();
			await this.#applyMute(peer.id);
		}
	}

	/** A moderator mutes a stage member they outrank; only the member can unmute. */
	async muteSpeaker(peer: Peer, targetId: string): Promise<void> {
		this.#assertOpen();
		if (targetId === peer.id) {
			await this.muteSelf(peer);

			return;
		}
		if (this.#state.mute(peer.id, targetId)) {
			this.#persist();
			await this.#afterModeratorMute(peer.id, targetId);
		}
	}

	/** A moderator mutes every stage member they outrank. */
	async muteAll(peer: Peer): Promise<void> {
		this.#assertOpen();
		const muted = this.#state.muteAll(peer.id);
		if (muted.length > 0) {
			this.#persist();
		}
		await Promise.all(muted.map((userId) => this.#afterModeratorMute(peer.id, userId)));
	}

	async #afterModeratorMute(by: string, userId: string): Promise<void> {
		this.#broadcast('speaker:muted', { userId, by });
		this.#broadcastMember(userId);
		this.#sendSelf(userId);
		await this.#applyMute(userId);
	}

	/** A moderator removes someone from the room: the ban is persisted through the API, then they go. */
	async removePeer(peer: Peer, targetId: string): Promise<void> {
		this.#assertOpen();
		if (!this.#peers.has(targetId)) {
			throw new NotFoundError('user is not in the room');
		}
		this.#state.assertCanRemove(peer.id, targetId);
		await this.#options.api.ban(this.id, targetId, peer.id);
		if (this.#closed) {
			return;
		}
		const departure = this.#state.ban(targetId);
		const target = this.#peers.get(targetId);
		if (target) {
			this.#peers.delete(targetId);
			target.close(CloseCode.Removed, 'removed', () =>
				target.notify('session:closing', { reason: 'removed' })
			);
			this.safeEmit('peerleft', target);
		}
		this.#announceDeparture(targetId, departure);
		this.#throttledCount();
		this.#persist();
		this.#log.info({ userId: targetId, by: peer.id }, 'removePeer() | removed and banned');
	}

	/** A page of the people not on stage, in order of arrival. */
	listeners(offset: number, limit: number): { items: Listener[]; total: number } {
		const all = [...this.#peers.values()]
			.filter((p) => !this.#state.isOnStage(p.id))
			.sort((a, b) => a.joinedAt - b.joinedAt);

		return {
			items: all.slice(offset, offset + limit).map((p) => ({ ...p.user, role: this.#state.roleOf(p.id) })),
			total: all.length,
		};
	}

	/** The host ends the room: persisted through the API, then every connection closes. */
	async end(peer: Peer): Promise<void> {
		this.#assertOpen();
		this.#state.assertCanEnd(peer.id);
		await this.#options.api.end(this.id, peer.id);
		this.#finish('host');
	}

	// ─── API events (bus) ────────────────────────────────────────────────────

	/** Settings changed through the API. */
	applyInfo(info: LiveRoomInfo): void {
		if (this.#closed) {
			return;
		}
		const lowered = this.#state.updateInfo(info);
		this.#broadcast('room:updated', info);
		for (const userId of lowered) {
			this.#toModerators('hand:lowered', { userId });
			this.#sendSelf(userId);
		}
		this.#persist();
	}

	/** An appointment changed through the API. */
	applyRole(userId: string, role: Role): void {
		if (this.#closed) {
			return;
		}
		const formerHost = this.#state.hostId;
		const { before, after } = this.#state.setAppointment(userId, role, this.#clock.now());
		if (this.#state.hostId !== formerHost) {
			this.#hostTimer?.cancel();
			this.#hostTimer = undefined;
			this.#broadcast('host:changed', { userId: this.#state.hostId });
			this.#refreshUser(formerHost);
			this.#checkHost();
		}
		const peer = this.#peers.get(userId);
		if (peer && speaksByDefault(after)) {
			const staged = this.#state.autoStage(peer.user, this.#clock.now());
			if (staged) {
				this.#throttledCount();
			}
		}
		this.#refreshUser(userId);
		if (peer && !canModerate(before) && canModerate(after)) {
			// A new moderator sees the queue as it stands.
			for (const hand of this.#state.hands()) {
				peer.notify('hand:raised', hand);
			}
		}
		this.#persist();
	}

	/** A guest-list entry changed through the API. */
	applyGuest(userId: string, kind: 'speaker' | 'listener' | null): void {
		if (this.#closed) {
			return;
		}
		if (this.#state.setGuest(userId, kind)) {
			this.#toModerators('hand:lowered', { userId });
			this.#sendSelf(userId);
		}
		this.#persist();
	}

	/** The room ended through the API. */
	applyEnded(): void {
		this.#finish('api');
	}

	// ─── Host presence ───────────────────────────────────────────────────────

	// Starts the grace period when the host is absent, ends it when they are back. `joining` counts as
	// present (it is not in #peers yet).
	#checkHost(joining?: string): void {
		const hostId = this.#state.hostId;
		const present = this.#peers.has(hostId) || joining === hostId;
		if (present) {
			if (this.#hostTimer || this.#state.hostAwayUntil !== null) {
				this.#hostTimer?.cancel();
				this.#hostTimer = undefined;
				this.#state.setHostAway(null);
				this.#broadcast('host:changed', { userId: hostId });
			}

			return;
		}
		if (this.#hostTimer) {
			return;
		}
		const now = this.#clock.now();
		const until = this.#state.hostAwayUntil ?? now + this.#options.hostGraceMs;
		this.#state.setHostAway(until);
		this.#hostTimer = this.#clock.setTimeout(
			() => {
				this.#hostGraceOver().catch((error: unknown) =>
					this.#log.error({ err: error }, 'hostGraceOver() | failed')
				);
			},
			Math.max(0, until - now)
		);
		this.#broadcast('host:away', { until });
		this.#log.info({ until }, 'checkHost() | host away, grace period started');
	}

	async #hostGraceOver(): Promise<void> {
		this.#hostTimer = undefined;
		if (this.#closed || this.#peers.has(this.#state.hostId)) {
			return;
		}
		const successor = this.#state.pickSuccessor((id) => this.#peers.has(id));
		if (!successor) {
			this.#log.info('hostGraceOver() | no co-host present, ending the room');
			await this.#options.api
				.end(this.id, null)
				.catch((error: unknown) => this.#log.error({ err: error }, 'hostGraceOver() | API end failed'));
			this.#finish('no-host');

			return;
		}
		await this.#options.api
			.setHost(this.id, successor)
			.catch((error: unknown) => this.#log.error({ err: error }, 'hostGraceOver() | API host change failed'));
		if (this.#closed || this.#peers.has(this.#state.hostId)) {
			return;
		}
		const former = this.#state.transferHost(successor);
		// As in the API's record: the former host takes the new host's co-host seat.
		this.#state.setAppointment(former, Role.Cohost, this.#clock.now());
		this.#announceDeparture(former, this.#state.forget(former));
		const peer = this.#peers.get(successor);
		if (peer) {
			this.#state.autoStage(peer.user, this.#clock.now());
		}
		this.#broadcast('host:changed', { userId: successor });
		this.#refreshUser(successor);
		this.#throttledCount();
		this.#persist();
		this.#log.info({ former, successor }, 'hostGraceOver() | co-host took over');
		// The new host might have left while the API answered.
		this.#checkHost();
	}

	#holdSeat(userId: string): void {
		this.#heldSeats.get(userId)?.cancel();
		const timer = this.#clock.setTimeout(() => {
			if (this.#heldSeats.get(userId) !== timer) {
				return;
			}
			this.#heldSeats.delete(userId);
			if (this.#closed || this.#peers.has(userId) || userId === this.#state.hostId) {
				return;
			}
			this.#announceDeparture(userId, this.#state.forget(userId));
			this.#throttledCount();
			this.#persist();
			this.#log.info({ userId }, 'holdSeat() | not back in time, seat released');
		}, this.#options.rejoinGraceMs ?? DEFAULT_REJOIN_GRACE_MS);
		this.#heldSeats.set(userId, timer);
	}

	// People restored from a previous node's state who did not come back in time lose their place.
	#pruneAbsent(): void {
		this.#pruneTimer = undefined;
		if (this.#closed) {
			return;
		}
		const absent = new Set<string>();
		for (const entry of this.#state.stage()) {
			absent.add(entry.user.id);
		}
		for (const hand of this.#state.hands()) {
			absent.add(hand.user.id);
		}
		let changed = false;
		for (const userId of absent) {
			if (!this.#peers.has(userId) && userId !== this.#state.hostId) {
				this.#announceDeparture(userId, this.#state.forget(userId));
				changed = true;
			}
		}
		if (changed) {
			this.#throttledCount();
			this.#persist();
		}
	}

	// ─── Notifications ───────────────────────────────────────────────────────

	#broadcast<T extends NotificationType>(type: T, data: NotificationData<T>): void {
		for (const peer of this.#peers.values()) {
			peer.notify(type, data);
		}
	}

	#toModerators<T extends NotificationType>(type: T, data: NotificationData<T>): void {
		for (const peer of this.#peers.values()) {
			if (canModerate(this.#state.roleOf(peer.id))) {
				peer.notify(type, data);
			}
		}
	}

	#member(entry: StageEntry): StageMember {
		const producer = this.#peers.get(entry.user.id)?.producer;

		return {
			userId: entry.user.id,
			handle: entry.user.handle,
			displayName: entry.user.displayName,
			role: this.#state.roleOf(entry.user.id),
			muted: entry.muted,
			hasAudio: Boolean(producer && !producer.closed),
			since: entry.since,
		};
	}

	#broadcastMember(userId: string): void {
		const entry = this.#state.stageEntry(userId);
		if (entry) {
			this.#broadcast('stage:member', this.#member(entry));
		}
	}

	#selfState(userId: string): SelfState {
		const entry = this.#state.stageEntry(userId);

		return {
			userId,
			role: this.#state.roleOf(userId),
			onStage: Boolean(entry),
			muted: entry?.muted ?? true,
			handRaised: this.#state.hasHand(userId),
			invited: this.#state.isInvited(userId),
		};
	}

	#sendSelf(userId: string): void {
		this.#peers.get(userId)?.notify('self:state', this.#selfState(userId));
	}

	// A user's role or stage place changed: their stage entry (if any) and own state.
	#refreshUser(userId: string): void {
		this.#broadcastMember(userId);
		this.#sendSelf(userId);
	}

	#announceDeparture(userId: string, departure: Departure): void {
		if (departure.leftStage) {
			this.#broadcast('stage:left', { userId });
		}
		if (departure.handLowered) {
			this.#toModerators('hand:lowered', { userId });
		}
	}

	#listenerCount(): number {
		let n = 0;
		for (const peer of this.#peers.values()) {
			n += this.#state.isOnStage(peer.id) ? 0 : 1;
		}

		return n;
	}

	#snapshot(userId: string): Omit<Snapshot, 'seq'> {
		const self = this.#selfState(userId);

		return {
			room: this.#state.info,
			self,
			stage: this.#state.stage().map((entry) => this.#member(entry)),
			listenerCount: this.#listenerCount(),
			...(canModerate(self.role) ? { hands: [...this.#state.hands()] } : {}),
			hostAwayUntil: this.#state.hostAwayUntil,
		};
	}

	#sendCount(): void {
		if (this.#closed) {
			return;
		}
		const count = this.#listenerCount();
		if (count !== this.#sentCount) {
			this.#sentCount = count;
			this.#broadcast('listeners:count', { count });
		}
		this.refreshPresence();
	}

	/**
	 * Writes the listener count (connected, not on stage) to the bus for the API's `listenerCount`, so
	 * room cards show the same number as the room itself (also refreshed by the heartbeat).
	 */
	refreshPresence(): void {
		if (this.#closed) {
			return;
		}
		this.#options.bus
			.set(roomPresenceKey(this.id), String(this.#listenerCount()), PRESENCE_TTL_MS)
			.catch((error: unknown) => this.#log.warn({ err: error }, 'refreshPresence() | bus write failed'));
	}

	#sendSpeaking(): void {
		if (this.#closed) {
			return;
		}
		// Only people on stage and unmuted can be speaking (a paused producer may still report a last level).
		const userIds = this.#speaking.filter((id) => this.#state.stageEntry(id)?.muted === false);
		const key = userIds.join(',');
		if (key !== this.#sentSpeaking) {
			this.#sentSpeaking = key;
			this.#broadcast('stage:speaking', { userIds });
		}
	}

	// ─── Lifecycle ───────────────────────────────────────────────────────────

	#persist(): void {
		if (!this.#closed && !this.#ending) {
			void this.#options.store.save(this.id, this.#state.toData(this.#clock.now()));
		}
	}

	#assertOpen(): void {
		if (this.#closed) {
			throw new RoomEndedError('the room is closed');
		}
	}

	#assertMaySend(peer: Peer): void {
		if (!this.#state.isOnStage(peer.id)) {
			throw new ForbiddenError('only stage members can send audio');
		}
	}

	// Ends the room for everyone: tells every client why, closes their sockets, forgets the live state.
	#finish(reason: 'host' | 'no-host' | 'api'): void {
		if (this.#closed) {
			return;
		}
		this.#ending = true;
		for (const peer of this.#peers.values()) {
			peer.close(CloseCode.RoomEnded, 'room ended', () => peer.notify('room:ended', { reason }));
		}
		this.#peers.clear();
		void this.#options.store.delete(this.id);
		this.#options.bus
			.del(roomPresenceKey(this.id))
			.catch((error: unknown) => this.#log.warn({ err: error }, 'finish() | bus delete failed'));
		this.#log.info({ reason }, 'finish() | room ended');
		this.close('ended');
	}

	/**
	 * Closes the room: peers (with `Moving` when the node shuts down or the worker died, so clients
	 * reconnect through the API), then the router with every transport. Idempotent. The live state stays
	 * in the bus unless the room ended.
	 */
	close(reason: RoomCloseReason = 'shutdown'): void {
		if (this.#closed) {
			return;
		}
		this.#closed = true;
		this.#hostTimer?.cancel();
		this.#pruneTimer?.cancel();
		for (const timer of this.#heldSeats.values()) {
			timer.cancel();
		}
		this.#heldSeats.clear();
		this.#throttledCount.cancel();
		this.#throttledSpeaking.cancel();
		for (const peer of this.#peers.values()) {
			const closing = reason === 'workerdied' ? 'moving' : 'shutdown';
			peer.moveAway(closing);
		}
		this.#peers.clear();
		if (reason !== 'ended') {
			this.#options.bus
				.del(roomPresenceKey(this.id))
				.catch((error: unknown) => this.#log.warn({ err: error }, 'close() | bus delete failed'));
		}
		this.#router.close();
		this.#log.info({ reason }, 'close() | room closed');
		this.safeEmit('close', reason);
	}
}
