import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import { RoomRecording } from '../recording/RoomRecording.js';
import type { LiveState } from './LiveState.js';
import { ModerationLog } from './ModerationLog.js';
import type { Peer } from './Peer.js';
import { fetchPageTitle } from './pageTitle.js';
import { RoomChat } from './RoomChat.js';
import type { RoomNotifier } from './RoomNotifier.js';
import { RoomPinnedLink } from './RoomPinnedLink.js';
import { RoomQuality } from './RoomQuality.js';
import { RoomReactions } from './RoomReactions.js';
import { RoomTally } from './RoomTally.js';
import type { RoomCloseReason, RoomOptions } from './RoomTypes.js';
import { WordFilter } from './wordFilter.js';

/** What {@link RoomFeatures} takes from its Room. */
export interface RoomFeaturesDeps {
	/** The Room's options (API, clock, recordings, chat filter, title fetch). */
	options: RoomOptions;
	/** The origin Router (recording pipes the stage from it). */
	router: types.Router;
	/** The Room's AudioLevelObserver: who speaks, for the tally, the notifier and recording. */
	audioLevel: types.AudioLevelObserver;
	/** The Room's live state. */
	state: LiveState;
	/** The connected peers. */
	peers: ReadonlyMap<string, Peer>;
	/** Tells people what changed. */
	notifier: RoomNotifier;
	/** The live microphones, for a recording that starts mid-room. */
	stageProducers: () => types.Producer[];
	/** Throws when the Room is closed. */
	assertOpen: () => void;
	/** The Room's logger. */
	log: Logger;
	/** Saves the Room's live state (the chat's mutes and slow mode are part of it). */
	persist: () => void;
}

/**
 * The features beside the stage that a Room carries: reactions, chat, the moderation log, the pinned
 * link, recording, and the host's analytics tally. The Room calls the hooks here (a join, a raised hand,
 * a new microphone, the end, the close) so it does not wire each feature itself.
 */
export class RoomFeatures {
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
	/** How many listeners have a poor connection, for staff. */
	readonly quality: RoomQuality;
	readonly #options: RoomOptions;
	readonly #log: Logger;
	// Host analytics, reported to the API when the room ends.
	readonly #tally = new RoomTally();

	constructor(deps: RoomFeaturesDeps) {
		const { options, state, notifier, log } = deps;
		const roomId = options.roomId;
		this.#options = options;
		this.#log = log;
		this.recording = new RoomRecording({
			roomId,
			router: deps.router,
			audioLevel: deps.audioLevel,
			state,
			notifier,
			producers: () =>
				deps.stageProducers().map((producer) => ({ producer, userId: String(producer.appData.userId) })),
			clock: options.clock,
			recordings: options.recordings,
			assertOpen: deps.assertOpen,
			log,
		});
		this.reactions = new RoomReactions({ notifier, state, clock: options.clock });
		this.quality = new RoomQuality({ peers: deps.peers, state, notifier, clock: options.clock });
		this.chat = new RoomChat({
			roomId,
			peers: deps.peers,
			state,
			notifier,
			store: options.api,
			filter: options.chatFilter ?? new WordFilter([]),
			clock: options.clock,
			log,
			assertOpen: deps.assertOpen,
			onMessage: (message) => this.recording.chat(message),
			onDeleted: (messageId) => this.recording.chatDeleted(messageId),
			persist: deps.persist,
		});
		this.pinnedLink = new RoomPinnedLink({
			state,
			notifier,
			clock: options.clock,
			fetchTitle: options.fetchPageTitle ?? fetchPageTitle,
			log,
			assertOpen: deps.assertOpen,
		});
		this.moderation = new ModerationLog({
			roomId,
			peers: deps.peers,
			state,
			notifier,
			store: options.api,
			clock: options.clock,
			log,
		});
		deps.audioLevel.on('volumes', (volumes) => {
			const speaking = volumes.map((v) => String(v.producer.appData.userId));
			this.#tally.speaking(speaking, options.clock.now());
			notifier.speakingChanged(speaking);
		});
		deps.audioLevel.on('silence', () => {
			this.#tally.speaking([], options.clock.now());
			notifier.speakingChanged([]);
		});
	}

	/** Someone joined; `present` is how many are connected now. */
	joined(userId: string, present: number): void {
		this.#tally.joined(userId, present);
		this.quality.joined(userId);
	}

	/** Someone raised their hand. */
	handRaised(): void {
		this.#tally.handRaised();
	}

	/** A microphone went live (a running recording captures it). */
	producer(producer: types.Producer, userId: string): void {
		this.recording.producer(producer, userId);
	}

	/** The room ended: its analytics go to the API. */
	finished(): void {
		this.#options.api
			.reportTally(this.#options.roomId, this.#tally.summary(this.#options.clock.now()))
			.catch((error: unknown) => this.#log.warn({ err: error }, 'finish() | analytics report failed'));
	}

	/** The room closed: reactions stop ticking and a running recording stops. */
	close(reason: RoomCloseReason): void {
		this.reactions.close();
		this.quality.close();
		this.recording.closed(reason);
	}
}
