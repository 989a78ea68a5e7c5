import { randomUUID } from 'node:crypto';
import {
	CHAT_LIMITS,
	type ChatMessage,
	type ChatMode,
	type ChatSettings,
	canModerate,
	ErrorCode,
	hasVisibleText,
	type LiveChatData,
	type ReplyData,
} from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { Clock } from '../Clock.js';
import { BadRequestError, ForbiddenError, NotFoundError, RateLimitedError, SfuError } from '../errors.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import { Action, can } from './permissions.js';
import type { RoomNotifier } from './RoomNotifier.js';
import type { WordFilter } from './wordFilter.js';

/** Where a room's chat is kept (the API's Postgres, through its internal routes). */
export interface ChatStore {
	/** The room's chat mode and its last messages, oldest first. */
	chatHistory(roomId: string): Promise<{ mode: ChatMode; messages: ChatMessage[] }>;
	/** Stores a message. */
	saveChatMessage(
		roomId: string,
		message: { id: string; userId: string; text: string; at: number }
	): Promise<void>;
	/** Marks a message deleted by `by`. */
	deleteChatMessage(roomId: string, messageId: string, by: string): Promise<void>;
}

/** What {@link RoomChat} needs of its room. */
export interface RoomChatDeps {
	/** Room id. */
	roomId: string;
	/** The room's connections, by user id (owned by the Room). */
	peers: ReadonlyMap<string, Peer>;
	/** The room's live state (roles, the stage). */
	state: LiveState;
	/** Who is told what. */
	notifier: RoomNotifier;
	/** Persistence. */
	store: ChatStore;
	/** The deployment's word filter. */
	filter: WordFilter;
	/** Time (slow mode). */
	clock: Clock;
	/** The room's logger. */
	log: Logger;
	/** Throws `room_ended` once the room closed. */
	assertOpen(): void;
	/** A message went out (the running recording's timeline takes it). */
	onMessage?(message: ChatMessage): void;
	/** A message was deleted. */
	onDeleted?(messageId: string): void;
	/** The chat mutes or the slow mode changed: the room saves its live state (see {@link RoomChat.toData}). */
	persist?(): void;
}

/** Someone sent too much text. */
class TooLargeError extends SfuError {
	constructor(message: string) {
		super(ErrorCode.TooLarge, message);
		this.name = 'TooLargeError';
	}
}

/**
 * The chat beside the stage: who may write (the room's `chat` mode: off, everyone, or the stage and its
 * moderators), the 500-character cap and the word filter (enforced here, whatever the client shows),
 * slow mode per person, chat mutes, deletions by moderators, and the last 200 messages for late joiners.
 * Messages are stored in Postgres through the API before anyone sees them. Chat mutes and the slow mode
 * are part of the room's live state in the bus ({@link toData}, {@link restore}), and each person's last
 * message time comes back from the stored history, so a restart or another node keeps all three.
 */
export class RoomChat {
	readonly #deps: RoomChatDeps;
	#loaded: Promise<void> | undefined;
	#mode: ChatMode = 'everyone';
	#slowModeSeconds = 0;
	#messages: ChatMessage[] = [];
	readonly #muted = new Set<string>();
	readonly #lastSent = new Map<string, number>();

	/** The chat of one room. */
	constructor(deps: RoomChatDeps) {
		this.#deps = deps;
	}

	/** Takes back what a previous node saved (see {@link toData}); nothing when it saved none. */
	restore(saved: LiveChatData | undefined): void {
		if (!saved) {
			return;
		}
		this.#slowModeSeconds = saved.slowModeSeconds;
		for (const userId of saved.muted) {
			this.#muted.add(userId);
		}
	}

	/** The chat's part of the room's live state: who is muted in chat, and the slow mode. */
	toData(): LiveChatData {
		return { muted: [...this.#muted], slowModeSeconds: this.#slowModeSeconds };
	}

	/** The settings, the last messages and whether `peer` is muted in chat. */
	async history(peer: Peer): Promise<ReplyData<'chat:history'>> {
		await this.#load();

		return { settings: this.#settings(), messages: [...this.#messages], muted: this.#muted.has(peer.id) };
	}

	/** Sends a message for `peer` after every check; resolves with it once stored and broadcast. */
	async send(peer: Peer, raw: string): Promise<ChatMessage> {
		const { state, clock, filter } = this.#deps;
		this.#deps.assertOpen();
		await this.#load();
		const role = state.roleOf(peer.id);
		if (this.#mode === 'off') {
			throw new ForbiddenError('chat is off in this room');
		}
		if (this.#mode === 'stage' && !state.isOnStage(peer.id) && !canModerate(role)) {
			throw new ForbiddenError('only the stage writes in this chat');
		}
		if (this.#muted.has(peer.id)) {
			throw new ForbiddenError('a moderator muted you in chat');
		}
		const text = raw.trim();
		if (!hasVisibleText(text)) {
			throw new BadRequestError('the message is empty');
		}
		if ([...text].length > CHAT_LIMITS.maxLength) {
			throw new TooLargeError(`messages are at most ${CHAT_LIMITS.maxLength} characters`);
		}
		if (filter.blocks(text)) {
			throw new BadRequestError('the message contains a word this server does not allow');
		}
		const now = clock.now();
		const last = this.#lastSent.get(peer.id);
		if (this.#slowModeSeconds > 0 && !canModerate(role) && last !== undefined) {
			const wait = Math.ceil((last + this.#slowModeSeconds * 1000 - now) / 1000);
			if (wait > 0) {
				throw new RateLimitedError(`slow mode: wait ${wait} s before your next message`);
			}
		}
		// Taken before the write so that two quick sends cannot both pass slow mode.
		this.#lastSent.set(peer.id, now);
		const message: ChatMessage = { id: randomUUID(), user: peer.user, text, at: now };
		try {
			await this.#deps.store.saveChatMessage(this.#deps.roomId, {
				id: message.id,
				userId: peer.id,
				text,
				at: now,
			});
		} catch (error) {
			if (last === undefined) {
				this.#lastSent.delete(peer.id);
			} else {
				this.#lastSent.set(peer.id, last);
			}
			throw error;
		}
		this.#messages.push(message);
		if (this.#messages.length > CHAT_LIMITS.history) {
			this.#messages.splice(0, this.#messages.length - CHAT_LIMITS.history);
		}
		this.#deps.notifier.broadcast('chat:message', message);
		this.#deps.onMessage?.(message);

		return message;
	}

	/** A moderator deletes a message (of someone they outrank) for everyone; resolves with it. */
	async delete(peer: Peer, messageId: string): Promise<ChatMessage> {
		const { state } = this.#deps;
		this.#deps.assertOpen();
		await this.#load();
		const message = this.#messages.find((m) => m.id === messageId);
		if (!message) {
			throw new NotFoundError('no such message');
		}
		const own = message.user.id === peer.id;
		if (!own && !can(state.roleOf(peer.id), Action.DeleteMessage, state.roleOf(message.user.id))) {
			throw new ForbiddenError('you cannot delete this message');
		}
		if (own && !canModerate(state.roleOf(peer.id))) {
			throw new ForbiddenError('only moderators delete messages');
		}
		await this.#deps.store.deleteChatMessage(this.#deps.roomId, messageId, peer.id);
		this.#messages = this.#messages.filter((m) => m.id !== messageId);
		this.#deps.notifier.broadcast('chat:deleted', { messageId, by: peer.id });
		this.#deps.onDeleted?.(messageId);

		return message;
	}

	/** A moderator mutes (or unmutes) someone they outrank in chat. */
	setMuted(peer: Peer, targetId: string, muted: boolean): void {
		const { state } = this.#deps;
		this.#deps.assertOpen();
		if (!can(state.roleOf(peer.id), Action.ChatMute, state.roleOf(targetId))) {
			throw new ForbiddenError('you cannot mute this person in chat');
		}
		if (muted) {
			this.#muted.add(targetId);
		} else {
			this.#muted.delete(targetId);
		}
		this.#deps.persist?.();
		this.#deps.peers.get(targetId)?.notify('chat:muted', { muted, by: peer.id });
	}

	/** A moderator sets slow mode (0 turns it off); everyone learns the new settings. */
	async setSlowMode(peer: Peer, seconds: number): Promise<void> {
		this.#deps.assertOpen();
		if (!can(this.#deps.state.roleOf(peer.id), Action.SlowMode)) {
			throw new ForbiddenError('only moderators set slow mode');
		}
		await this.#load();
		this.#slowModeSeconds = seconds;
		this.#deps.persist?.();
		this.#deps.notifier.broadcast('chat:settings', this.#settings());
	}

	#settings(): ChatSettings {
		return { mode: this.#mode, slowModeSeconds: this.#slowModeSeconds };
	}

	// Read once per room opening; a failed read is retried by the next request.
	#load(): Promise<void> {
		this.#loaded ??= this.#deps.store.chatHistory(this.#deps.roomId).then(
			({ mode, messages }) => {
				this.#mode = mode;
				// Sent while the history was read come after it.
				const known = new Set(messages.map((m) => m.id));
				this.#messages = [...messages, ...this.#messages.filter((m) => !known.has(m.id))].slice(
					-CHAT_LIMITS.history
				);
				// Slow mode counts from a person's last stored message, also one sent before a restart.
				for (const m of messages) {
					if (m.at > (this.#lastSent.get(m.user.id) ?? Number.NEGATIVE_INFINITY)) {
						this.#lastSent.set(m.user.id, m.at);
					}
				}
			},
			(error: unknown) => {
				this.#loaded = undefined;
				this.#deps.log.warn({ err: error }, 'chat load() | history unavailable');
				throw error;
			}
		);

		return this.#loaded;
	}
}
