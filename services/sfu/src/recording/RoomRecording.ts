import { type ChatMessage, type RecordingStatus, Role } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { Clock } from '../Clock.js';
import { ForbiddenError, UnsupportedError } from '../errors.js';
import type { LiveState } from '../room/LiveState.js';
import type { Peer } from '../room/Peer.js';
import type { RoomNotifier } from '../room/RoomNotifier.js';
import type { RoomCloseReason } from '../room/RoomTypes.js';
import type { Recordings } from './Recordings.js';

// How often the stage (who is on it, who is muted) is written to the timeline of a running recording.
const STAGE_SAMPLE_MS = 250;

/** What {@link RoomRecording} needs of its room. */
export interface RoomRecordingDeps {
	roomId: string;
	/** The room's origin Router. */
	router: types.Router;
	/** The room's AudioLevelObserver: who speaks when. */
	audioLevel: types.AudioLevelObserver;
	/** The room's live state (stage, mutes, roles). */
	state: LiveState;
	/** Who is told what. */
	notifier: RoomNotifier;
	/** The stage's live microphones, with whose voice each carries. */
	producers(): { producer: types.Producer; userId: string }[];
	/** Time. */
	clock: Clock;
	/** The node's recordings; absent when this node does not record. */
	recordings: Recordings | undefined;
	/** Throws `room_ended` once the room closed. */
	assertOpen(): void;
	/** Logger. */
	log: Logger;
}

/**
 * Recording in one live room: the host and co-hosts start and stop it, everyone is told (and late
 * joiners see it in their snapshot), and while it runs the stage, the mutes and who speaks go to its
 * timeline and each new microphone to its capture.
 */
export class RoomRecording {
	readonly #deps: RoomRecordingDeps;
	#sampler: NodeJS.Timeout | undefined;

	/** The recording part of one room; a recording already running for the room taps its router. */
	constructor(deps: RoomRecordingDeps) {
		this.#deps = deps;
		deps.audioLevel.on('volumes', (volumes) => {
			this.#recorder()?.timeline.speaking(
				deps.clock.now(),
				volumes.map((v) => String(v.producer.appData.userId))
			);
		});
		deps.audioLevel.on('silence', () => this.#recorder()?.timeline.speaking(deps.clock.now(), []));
		if (deps.recordings?.status(deps.roomId)) {
			void deps.recordings
				.attach(deps.roomId, { router: deps.router }, () => deps.producers())
				.catch((error: unknown) => deps.log.warn({ err: error }, 'RoomRecording | reattach failed'));
			this.#sample();
		}
	}

	/** The recording running now, or null. */
	status(): RecordingStatus | null {
		return this.#deps.recordings?.status(this.#deps.roomId) ?? null;
	}

	/** The host or a co-host starts recording. */
	async start(peer: Peer): Promise<RecordingStatus> {
		const { recordings, roomId, router, notifier } = this.#deps;
		this.#assertMay(peer);
		if (!recordings) {
			throw new UnsupportedError('this server does not record');
		}
		const status = await recordings.start(roomId, peer.id, { router }, () => this.#deps.producers());
		this.#sample();
		notifier.broadcast('recording:state', { recording: status, by: peer.id });
		this.#deps.log.info({ recordingId: status.id, by: peer.id }, 'start() | recording');

		return status;
	}

	/** The host or a co-host stops the recording. */
	stop(peer: Peer): void {
		this.#assertMay(peer);
		this.#deps.recordings?.stop(this.#deps.roomId);
		this.#stopSampling();
		this.#deps.notifier.broadcast('recording:state', { recording: null, by: peer.id });
	}

	/** A chat message, for the running recording's timeline. */
	chat(message: ChatMessage): void {
		this.#recorder()?.timeline.chat(this.#deps.clock.now(), message);
	}

	/** A chat message was deleted: out of the running recording's timeline too. */
	chatDeleted(messageId: string): void {
		this.#recorder()?.timeline.chatDeleted(messageId);
	}

	/** A stage member's microphone started: into their track. */
	producer(producer: types.Producer, userId: string): void {
		void this.#recorder()?.addProducer(producer, userId);
	}

	/** The room closed: the recording stops, or waits for the room to reopen if its worker died. */
	closed(reason: RoomCloseReason): void {
		this.#stopSampling();
		this.#deps.recordings?.roomClosed(this.#deps.roomId, reason);
	}

	#recorder() {
		return this.#deps.recordings?.recorder(this.#deps.roomId);
	}

	#assertMay(peer: Peer): void {
		this.#deps.assertOpen();
		const role = this.#deps.state.roleOf(peer.id);
		if (role !== Role.Host && role !== Role.Cohost) {
			throw new ForbiddenError('only the host and co-hosts start and stop recording');
		}
	}

	#sample(): void {
		this.#stopSampling();
		const tick = () => {
			const recorder = this.#recorder();
			if (!recorder) {
				this.#stopSampling();

				return;
			}
			recorder.timeline.stage(
				this.#deps.clock.now(),
				this.#deps.state.stage().map((entry) => ({ user: entry.user, muted: entry.muted }))
			);
		};
		tick();
		this.#sampler = setInterval(tick, STAGE_SAMPLE_MS);
		this.#sampler.unref();
	}

	#stopSampling(): void {
		clearInterval(this.#sampler);
		this.#sampler = undefined;
	}
}
