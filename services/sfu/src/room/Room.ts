import {
	CloseCode,
	type InternalRoom,
	type Listener,
	type LiveRoomInfo,
	roomPresenceKey,
	type UserSummary,
} from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { Clock } from '../Clock.js';
import { EnhancedEventEmitter } from '../EnhancedEventEmitter.js';
import { RoomEndedError } from '../errors.js';
import { DEFAULT_MAX_CONSUMERS_PER_WORKER } from '../RouterSet.js';
import type { RoomRecording } from '../recording/RoomRecording.js';
import { WorkerLoad } from '../WorkerLoad.js';
import type { JoinResult, PeerChannel } from './contracts.js';
import { HostPresence } from './HostPresence.js';
import { LiveState } from './LiveState.js';
import type { ModerationLog } from './ModerationLog.js';
import { OriginMedia } from './OriginMedia.js';
import type { Peer } from './Peer.js';
import type { RoomChat } from './RoomChat.js';
import { RoomFeatures } from './RoomFeatures.js';
import { ROOM_MEDIA_CODECS, RoomMedia } from './RoomMedia.js';
import { RoomMembership } from './RoomMembership.js';
import { RoomNotifier } from './RoomNotifier.js';
import type { RoomPinnedLink } from './RoomPinnedLink.js';
import type { RoomQuality } from './RoomQuality.js';
import type { RoomReactions } from './RoomReactions.js';
import { RoomRemovals } from './RoomRemovals.js';
import { RoomStage } from './RoomStage.js';
import {
	type PeerDiagnostics,
	peerDiagnostics,
	type RoomCloseReason,
	type RoomEvents,
	type RoomOptions,
} from './RoomTypes.js';
import { resyncRoom } from './resync.js';
import {
	countConsumers,
	countProducers,
	listenerPage,
	liveProducers,
	moveAwayFrom,
	receivePlacement,
} from './roomPeers.js';

/**
 * A live room: the aggregate that owns a mediasoup Router, its AudioLevelObserver, the connected Peers
 * and the room's {@link LiveState} (stage, hand queue, invitations, mutes, roles, bans). The Room keeps
 * the lifecycle; its parts apply the rest: {@link RoomMembership} (joins and leaves), {@link RoomStage}
 * (hands, stage, mutes), {@link HostPresence} (host grace and succession, held seats), {@link OriginMedia}
 * over {@link RoomMedia} (transports, producers, consumers), {@link RoomNotifier} (who is told what),
 * {@link RoomRemovals} (removals, bans, sign-outs) and {@link RoomFeatures} (reactions, chat, recording…).
 * Every change is written through to the bus. `close()` is idempotent and cascades to peers,
 * transports, producers and consumers.
 */
export class Room extends EnhancedEventEmitter<RoomEvents> {
	/** Room id. */
	readonly id: string;
	/** Hands, invitations, the stage and mutes: what people ask for and what the API changes. */
	readonly stage: RoomStage;
	/** The media requests of the room's peers (transports, microphones, consumers). */
	readonly media: OriginMedia;
	/** Reactions, gathered per tick. */
	readonly reactions: RoomReactions;
	/** The chat beside the stage. */
	readonly chat: RoomChat;
	/** Every moderation act, live for moderators and kept with the room. */
	readonly moderation: ModerationLog;
	/** The link the host or a co-host pinned. */
	readonly pinnedLink: RoomPinnedLink;
	/** Recording: start, stop, and what a running recording captures of the room. */
	readonly recording: RoomRecording;
	/** Listeners' connection quality, counted for staff. */
	readonly quality: RoomQuality;
	readonly #router: types.Router;
	readonly #media: RoomMedia;
	readonly #state: LiveState;
	readonly #peers = new Map<string, Peer>();
	readonly #options: RoomOptions;
	readonly #clock: Clock;
	readonly #log: Logger;
	readonly #notifier: RoomNotifier;
	readonly #host: HostPresence;
	readonly #features: RoomFeatures;
	readonly #removals: RoomRemovals;
	readonly #membership: RoomMembership;
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
		this.#state = state;
		this.#media = new RoomMedia({
			origin: router,
			workers: options.workers ?? (() => [options.worker]),
			load: options.load ?? new WorkerLoad(),
			maxConsumersPerWorker: options.maxConsumersPerWorker ?? DEFAULT_MAX_CONSUMERS_PER_WORKER,
			media: options.media,
			allowPlainTransports: options.allowPlainTransports ?? false,
			producerCount: () => this.producerCount,
			onEdgeLost: (wasOn) => moveAwayFrom(this.#peers, wasOn),
			log,
		});
		const common = { peers: this.#peers, state, clock: options.clock };
		this.#notifier = new RoomNotifier({
			...common,
			roomId: this.id,
			bus: options.bus,
			log,
			speakingIntervalMs: options.speakingIntervalMs,
			countIntervalMs: options.countIntervalMs,
		});
		const parts = {
			...common,
			notifier: this.#notifier,
			isClosed: () => this.#closed,
			persist: () => this.#persist(),
		};
		this.#host = new HostPresence({
			...parts,
			roomId: this.id,
			api: options.api,
			log,
			hostGraceMs: options.hostGraceMs,
			rejoinGraceMs: options.rejoinGraceMs,
			finish: (reason) => this.#finish(reason),
		});
		this.media = new OriginMedia({
			...parts,
			media: this.#media,
			audioLevel,
			log,
			onProducer: (producer, userId) => {
				this.#features.producer(producer, userId);
				this.safeEmit('producer', producer, userId);
			},
		});
		this.stage = new RoomStage({
			...parts,
			host: this.#host,
			assertOpen: () => this.#assertOpen(),
			applyMute: (userId) => this.media.applyMute(userId),
			onHandRaised: () => this.#features.handRaised(),
		});
		this.#features = new RoomFeatures({
			options,
			router,
			audioLevel,
			state,
			peers: this.#peers,
			notifier: this.#notifier,
			stageProducers: () => this.stageProducers(),
			assertOpen: () => this.#assertOpen(),
			log,
			persist: () => this.#persist(),
		});
		this.reactions = this.#features.reactions;
		this.chat = this.#features.chat;
		this.moderation = this.#features.moderation;
		this.pinnedLink = this.#features.pinnedLink;
		this.recording = this.#features.recording;
		this.quality = this.#features.quality;
		this.#removals = new RoomRemovals({
			...parts,
			roomId: this.id,
			api: options.api,
			assertOpen: () => this.#assertOpen(),
			left: (peer) => this.safeEmit('peerleft', peer),
			log,
		});
		this.#membership = new RoomMembership({
			...parts,
			host: this.#host,
			isEnding: () => this.#ending,
			joined: (userId, present) => this.#features.joined(userId, present),
			log,
		})
			.on('peerjoined', (peer) => this.safeEmit('peerjoined', peer))
			.on('peerleft', (peer) => this.safeEmit('peerleft', peer))
			.on('empty', () => this.close('idle'));
		router.once('workerclose', () => this.close('workerdied'));
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
		room.chat.restore(saved?.chat);
		if (saved) {
			room.#log.info(
				{ stage: saved.stage.length, hands: saved.hands.length },
				'create() | took over saved live state'
			);
			room.#host.pruneAbsentLater();
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
		return countProducers(this.#peers);
	}

	/** The live microphones (for metrics and for other nodes piping the stage). */
	stageProducers(): types.Producer[] {
		return liveProducers(this.#peers);
	}

	/** Consumers across peers. */
	get consumerCount(): number {
		return countConsumers(this.#peers);
	}

	/**
	 * Per-peer media state, for diagnosing "I can't hear X" reports: each transport's ICE/DTLS state and
	 * selected protocol, whether the producer is paused, how many consumers.
	 */
	diagnostics(): PeerDiagnostics[] {
		return [...this.#peers.values()].map(peerDiagnostics);
	}

	/**
	 * Where each peer's receive transport lives: the worker (pid) and whether it is an edge router fed by
	 * `pipeToRouter` (diagnostics, tests, the benchmark).
	 */
	receivePlacement(): { userId: string; workerPid: number | undefined; edge: boolean }[] {
		return receivePlacement(this.#peers, this.#media);
	}

	// ─── Membership ──────────────────────────────────────────────────────────

	/** Adds a connection; see {@link RoomMembership.join}. */
	join(user: UserSummary, speakerGuest: boolean, channel: PeerChannel): JoinResult {
		const peer = this.#membership.join(user, speakerGuest, channel);

		return {
			peer,
			routerRtpCapabilities: this.#media.rtpCapabilities,
			snapshot: { ...this.#notifier.snapshot(user.id), recording: this.recording.status() },
		};
	}

	/** A connection ended (socket closed or `session:leave`); see {@link RoomMembership.leave}. */
	leave(peer: Peer, how: 'left' | 'dropped' = 'left'): void {
		this.#membership.leave(peer, how);
	}

	/** A moderator removes someone from the room: the ban is persisted through the API, then they go. */
	removePeer(peer: Peer, targetId: string): Promise<void> {
		return this.#removals.removePeer(peer, targetId);
	}

	/** Someone was banned through the API (by handle): the room bans them too, and they leave if here. */
	applyBan(userId: string): void {
		this.#removals.applyBan(userId);
	}

	/** The user's sessions were revoked through the API: their socket here closes (they are not banned). */
	signOut(userId: string): void {
		this.#removals.signOut(userId);
	}

	/** A page of the people not on stage, in order of arrival. */
	listeners(offset: number, limit: number): { items: Listener[]; total: number } {
		return listenerPage(this.#peers, this.#state, offset, limit);
	}

	/** Writes the listener count to the bus for the API's room cards (the heartbeat refreshes it). */
	refreshPresence(): void {
		this.#notifier.refreshPresence();
	}

	/** An SRTP PipeTransport on the origin Router, for another node to receive the stage through. */
	async createPipeTransport(): Promise<types.PipeTransport> {
		this.#assertOpen();

		return this.#media.createPipeTransport();
	}

	// ─── Lifecycle ───────────────────────────────────────────────────────────

	/** The host ends the room: persisted through the API, then every connection closes. */
	async end(peer: Peer): Promise<void> {
		this.#assertOpen();
		this.#state.assertCanEnd(peer.id);
		await this.#options.api.end(this.id, peer.id);
		this.#finish('host');
	}

	/** The room ended through the API. */
	applyEnded(): void {
		this.#finish('api');
	}

	/** Applies what differs from the API's record (events may have been lost while the bus was away). */
	resync(record: InternalRoom): void {
		if (!this.#closed) {
			resyncRoom(this, this.#state.toData(this.#clock.now()), record);
		}
	}

	#persist(): void {
		if (!this.#closed && !this.#ending) {
			void this.#options.store.save(this.id, {
				...this.#state.toData(this.#clock.now()),
				chat: this.chat.toData(),
			});
		}
	}

	#assertOpen(): void {
		if (this.#closed) {
			throw new RoomEndedError('the room is closed');
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
		this.#deletePresence('finish');
		this.#features.finished();
		this.#log.info({ reason }, 'finish() | room ended');
		this.close('ended');
	}

	#deletePresence(tag: 'finish' | 'close'): void {
		this.#options.bus
			.del(roomPresenceKey(this.id))
			.catch((error: unknown) => this.#log.warn({ err: error }, `${tag}() | bus delete failed`));
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
		this.#host.close();
		this.#notifier.close();
		this.#features.close(reason);
		for (const peer of this.#peers.values()) {
			peer.moveAway(reason === 'workerdied' ? 'moving' : 'shutdown');
		}
		this.#peers.clear();
		if (reason !== 'ended') {
			this.#deletePresence('close');
		}
		this.#router.close();
		this.#log.info({ reason }, 'close() | room closed');
		this.safeEmit('close', reason);
	}
}
