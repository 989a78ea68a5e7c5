import type {
	IceServer,
	Listener,
	ReplyData,
	RequestData,
	RequestType,
	ServerNotification,
} from '@majlis/protocol';
import { errorMessageKey } from '../../app/errorMessage';
import { handOver, joinRoom, setCohost, setModerator } from '../rooms/roomsApi';
import { openWebSocket } from './lib/ClientSocket';
import type { UpstreamCounters, VoiceCounters } from './lib/diagnosis';
import { Emitter } from './lib/Emitter';
import { HandRestore } from './lib/HandRestore';
import { type Media, type MediaEvents, MediaSession, type MediaStats } from './lib/MediaSession';
import { Microphone } from './lib/Microphone';
import { applyMediaNotification } from './lib/mediaNotifications';
import { QualityReporter } from './lib/qualityReport';
import { RoomConnection, type RoomConnectionEvents, type Session } from './lib/RoomConnection';
import { readForceRelay } from './lib/relayPreference';
import { applyDelta, stateFromSnapshot } from './lib/roomState';
import type { RoomClientEvents, RoomClientOptions, RoomView } from './RoomClientTypes';

export type { RoomClientEvents, RoomClientOptions, RoomView } from './RoomClientTypes';

/**
 * The one object components talk to in a live room: a facade over the signalling
 * {@link RoomConnection}, the {@link Media} of each session and the {@link Microphone}. It keeps the
 * room state (snapshot plus deltas) and emits {@link RoomClientEvents}; components call its methods and
 * read the stores it is bound to, and never touch the socket or WebRTC objects.
 */
export class RoomClient extends Emitter<RoomClientEvents> {
	/** The room this client is for. */
	readonly roomId: string;
	readonly #connection: RoomConnection;
	readonly #media: Media;
	readonly #mic: Microphone;
	#view: RoomView = { status: 'idle', closeReason: null, closeError: null, live: null, actionError: null };
	// A raised hand survives a reconnect: put back up if the new session lost it.
	readonly #hand = new HandRestore();
	// TURN relays of the latest join ticket, for the media of the session it opens.
	#iceServers: readonly IceServer[] = [];
	// This session's periodic quality reports (hosts see how many listeners hear badly).
	readonly #quality = new QualityReporter(async () => (await this.#media.getVoiceCounters()).voices);

	constructor(options: RoomClientOptions) {
		super();
		this.roomId = options.roomId;
		const mediaEvents: MediaEvents = {
			streams: (streams) => this.emit('audio', { streams }),
			blocked: (blocked) => this.emit('audio', { blocked }),
		};
		this.#media = options.createMedia?.(mediaEvents) ?? new MediaSession(mediaEvents);
		this.#mic = new Microphone({
			createSendTransport: (session) => this.#media.createSendTransport(session),
			self: () => this.#view.live?.self,
			connected: () => this.#view.status === 'connected',
			onChange: (state) => this.emit('mic', state),
		});
		this.#connection = new RoomConnection(
			{
				roomId: options.roomId,
				join: async (roomId) => {
					const ticket = await (options.join ?? joinRoom)(roomId);
					this.#iceServers = ticket.iceServers ?? [];

					return ticket;
				},
				openSocket: options.openSocket ?? openWebSocket,
				requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
				random: options.random,
			},
			this.#connectionEvents()
		);
	}

	/** Whether the client was closed for good. */
	get closed(): boolean {
		return this.#connection.closed;
	}

	/** The room as this client knows it now. */
	get state(): RoomView {
		return this.#view;
	}

	#set(patch: Partial<RoomView>): void {
		this.#view = { ...this.#view, ...patch };
		this.emit('room', patch);
	}

	#connectionEvents(): RoomConnectionEvents {
		return {
			status: (status) => {
				if (status === 'reconnecting') {
					const live = this.#view.live;
					this.#hand.dropped(live?.self.handRaised ?? false);
					// Nobody is heard while disconnected; the old speaking ring would be misleading.
					this.#set(live ? { status, live: { ...live, speaking: [] } } : { status });
				} else {
					this.#set(status === 'connecting' ? { status, closeReason: null, closeError: null } : { status });
				}
			},
			snapshot: (_session, reply) => {
				this.#hand.snapshot();
				this.#set({ live: stateFromSnapshot(reply.snapshot) });
			},
			setUp: (session, reply) =>
				this.#media.start(session, reply.routerRtpCapabilities, {
					iceServers: this.#iceServers,
					forceRelay: readForceRelay(),
				}),
			notification: (session, notification) => this.#onNotification(session, notification),
			connected: (session) => {
				if (this.#hand.shouldRaise(this.#view.live?.self)) {
					session.request('hand:raise', {}).catch(() => undefined);
				}
				this.#mic.sync(session);
				this.#quality.start((report) => session.request('quality:report', report));
			},
			reconnected: () => {
				this.#hand.clear();
				this.emit('announce', [{ key: 'announce.reconnected' }]);
			},
			teardown: () => {
				this.#quality.stop();
				this.#mic.reset();
				this.#media.stop();
				this.emit('audio', { streams: 0, blocked: false });
			},
			closed: (closeReason, closeError) => {
				this.#quality.stop();
				this.#mic.off();
				this.#set({ status: 'closed', closeReason, closeError });
			},
			problem: (problem) => console.warn(`RoomClient | ${problem.kind}: ${problem.message}`),
		};
	}

	#onNotification(session: Session, notification: ServerNotification): void {
		this.emit('notification', notification);
		const live = this.#view.live;
		if (applyMediaNotification(this.#media, session, notification) || !live) {
			return;
		}
		const { state, announcements } = applyDelta(live, notification);
		this.#set({ live: state });
		if (announcements.length > 0) {
			this.emit('announce', announcements);
		}
		if (notification.type === 'self:state') {
			this.#mic.sync(session);
		}
	}

	/** Joins the room: ticket from the API, signalling, then receiving the stage's audio. */
	join(): Promise<void> {
		return this.#connection.join();
	}

	/** Leaves the room (tells the server, then closes); idempotent. */
	leave(): Promise<void> {
		return this.#connection.leave();
	}

	// Every action, over signalling or REST, reports a failure the same way: an alert until dismissed.
	async #attempt(call: () => Promise<unknown>): Promise<boolean> {
		try {
			await call();

			return true;
		} catch (error) {
			this.#set({ actionError: { key: errorMessageKey(error), detail: (error as Error).message } });

			return false;
		}
	}

	#act<T extends RequestType>(type: T, data: RequestData<T>): Promise<boolean> {
		return this.#attempt(() => this.#connection.request(type, data));
	}

	/** Raises this client's hand (request to speak). */
	raiseHand(): Promise<boolean> {
		return this.#act('hand:raise', {});
	}

	/** Lowers this client's hand (cancel the request). */
	lowerHand(): Promise<boolean> {
		this.#hand.clear();

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
	mute(): Promise<boolean> {
		this.#mic.pause();

		return this.#act('mic:mute', {});
	}

	/** Unmutes this client's microphone (retrying it first if it had failed). */
	async unmute(): Promise<boolean> {
		if (!this.#mic.producing) {
			await this.retryMic();
			if (!this.#mic.producing) {
				return false;
			}
		}
		const ok = await this.#act('mic:unmute', {});
		if (ok) {
			this.#mic.resume();
		}

		return ok;
	}

	/** Tries the microphone again after a failure (call from a click so a new permission prompt may show). */
	retryMic(): Promise<void> {
		return this.#mic.retry(this.#connection.session);
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

	/** Host: makes someone a co-host (`on`) or takes it back. */
	makeCohost(userId: string, on = true): Promise<boolean> {
		return this.#attempt(() => setCohost(this.roomId, userId, on));
	}

	/** Host or co-host: makes someone a moderator (`on`) or takes it back. */
	makeModerator(userId: string, on = true): Promise<boolean> {
		return this.#attempt(() => setModerator(this.roomId, userId, on));
	}

	/** A request whose reply the caller uses (chat, reactions); a refusal is thrown, not shown as the action error. */
	request<T extends RequestType>(type: T, data: RequestData<T>): Promise<ReplyData<T>> {
		return this.#connection.request(type, data);
	}

	/** Host: hands the room to a co-host and becomes a co-host (the SFU moves the roles for everyone). */
	handOver(userId: string): Promise<boolean> {
		return this.#attempt(() => handOver(this.roomId, userId));
	}

	/** A page of the people who are not on stage. */
	listListeners(offset = 0, limit = 100): Promise<{ items: Listener[]; total: number }> {
		return this.#connection.request('listeners:list', { offset, limit });
	}

	/** Retries audio playback the browser blocked; call from a click. */
	unlockAudio(): Promise<void> {
		return this.#media.unlock();
	}

	/** Clears the last action error. */
	dismissError(): void {
		this.#set({ actionError: null });
	}

	/** One diagnostics sample: per-voice receive counters, the receive transport, and the mic's way up. */
	async getDiagnosticSample(): Promise<{
		transportConnected: boolean;
		voices: VoiceCounters[];
		upstream: UpstreamCounters | null;
	}> {
		const [received, upstream] = await Promise.all([
			this.#media.getVoiceCounters(),
			this.#mic.getUpstreamCounters(),
		]);

		return { ...received, upstream };
	}

	/** Silences (or restores) the room on this device without leaving it (the lock screen's pause). */
	setOutputMuted(muted: boolean): void {
		this.#media.setOutputMuted(muted);
	}

	/** Plays the room through an output device; false where the browser cannot choose. */
	setOutputDevice(deviceId: string): Promise<boolean> {
		return this.#media.setOutputDevice(deviceId);
	}

	/** Sends from another microphone from now on (while on stage). */
	switchMicrophone(deviceId: string): Promise<void> {
		return this.#mic.switchDevice(deviceId);
	}

	/** The microphone track being sent, or null off stage (for a local level meter). */
	get micTrack(): MediaStreamTrack | null {
		return this.#mic.track;
	}

	/** Counters from WebRTC stats of the consumers and the producer. */
	async getStats(): Promise<MediaStats> {
		const [received, sent] = await Promise.all([this.#media.getStats(), this.#mic.getStats()]);

		return { ...received, ...sent };
	}
}
