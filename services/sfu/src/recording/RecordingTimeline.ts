import type { UserSummary } from '@majlis/protocol';

/** An interval of a recording, in ms from its start (`toMs` null while it lasts). */
export interface TimelineSpan {
	userId: string;
	fromMs: number;
	toMs: number | null;
}

/** A timeline event: someone came on stage, left it, muted, unmuted, or a gap in the capture began. */
export interface TimelineEvent {
	atMs: number;
	type: 'stage:joined' | 'stage:left' | 'muted' | 'unmuted' | 'gap';
	userId: string | null;
}

/** What a finished recording's timeline holds (written as the recording's timeline.json). */
export interface TimelineData {
	startedAt: number;
	durationMs: number;
	people: UserSummary[];
	stage: TimelineSpan[];
	speaking: TimelineSpan[];
	muted: TimelineSpan[];
	events: TimelineEvent[];
	/** The chat while it was recorded (chat/RoomChat.ts), deleted messages left out. */
	chat: { atMs: number; messageId: string; user: UserSummary; text: string }[];
}

/**
 * Who was on stage when, who spoke when (from the room's AudioLevelObserver) and who was muted, in ms
 * from the recording's start. The recorder feeds it the stage as it is every time it looks, and the
 * loudest producers as the observer reports them.
 */
export class RecordingTimeline {
	readonly #startedAt: number;
	readonly #people = new Map<string, UserSummary>();
	readonly #stage: TimelineSpan[] = [];
	readonly #speaking: TimelineSpan[] = [];
	readonly #muted: TimelineSpan[] = [];
	readonly #events: TimelineEvent[] = [];
	readonly #openStage = new Map<string, TimelineSpan>();
	readonly #openSpeaking = new Map<string, TimelineSpan>();
	readonly #openMuted = new Map<string, TimelineSpan>();
	#chat: TimelineData['chat'] = [];

	/** A timeline whose time 0 is `startedAt` (ms since epoch). */
	constructor(startedAt: number) {
		this.#startedAt = startedAt;
	}

	/** The stage as it is at `now`: who is on it and whether each is muted. */
	stage(now: number, members: readonly { user: UserSummary; muted: boolean }[]): void {
		const at = this.#at(now);
		const present = new Set<string>();
		for (const { user, muted } of members) {
			present.add(user.id);
			this.#people.set(user.id, user);
			if (!this.#openStage.has(user.id)) {
				this.#open(this.#openStage, this.#stage, user.id, at);
				this.#events.push({ atMs: at, type: 'stage:joined', userId: user.id });
			}
			const wasMuted = this.#openMuted.has(user.id);
			if (muted && !wasMuted) {
				this.#open(this.#openMuted, this.#muted, user.id, at);
				this.#events.push({ atMs: at, type: 'muted', userId: user.id });
				this.#close(this.#openSpeaking, user.id, at);
			} else if (!muted && wasMuted) {
				this.#close(this.#openMuted, user.id, at);
				this.#events.push({ atMs: at, type: 'unmuted', userId: user.id });
			}
		}
		for (const userId of [...this.#openStage.keys()]) {
			if (!present.has(userId)) {
				this.#close(this.#openStage, userId, at);
				this.#close(this.#openMuted, userId, at);
				this.#close(this.#openSpeaking, userId, at);
				this.#events.push({ atMs: at, type: 'stage:left', userId });
			}
		}
	}

	/** Who is speaking at `now` (the observer's loudest producers; empty on silence). */
	speaking(now: number, userIds: readonly string[]): void {
		const at = this.#at(now);
		const speaking = new Set(userIds);
		for (const userId of speaking) {
			if (!this.#openSpeaking.has(userId)) {
				this.#open(this.#openSpeaking, this.#speaking, userId, at);
			}
		}
		for (const userId of [...this.#openSpeaking.keys()]) {
			if (!speaking.has(userId)) {
				this.#close(this.#openSpeaking, userId, at);
			}
		}
	}

	/** The capture stopped for a while at `now` (a worker died); the tracks hold silence there. */
	gap(now: number): void {
		this.#events.push({ atMs: this.#at(now), type: 'gap', userId: null });
		this.speaking(now, []);
	}

	/** A chat message sent at `now`. */
	chat(now: number, message: { id: string; user: UserSummary; text: string }): void {
		this.#chat.push({ atMs: this.#at(now), messageId: message.id, user: message.user, text: message.text });
	}

	/** A moderator deleted a message: it leaves the timeline too. */
	chatDeleted(messageId: string): void {
		this.#chat = this.#chat.filter((m) => m.messageId !== messageId);
	}

	/**
	 * The timeline as it would be if it ended at `now`, leaving open intervals open (written to disk while
	 * recording, so a node lost mid-recording keeps it).
	 */
	snapshot(now: number): TimelineData {
		const at = this.#at(now);
		const closed = (spans: readonly TimelineSpan[]) => spans.map((s) => ({ ...s, toMs: s.toMs ?? at }));

		return {
			startedAt: this.#startedAt,
			durationMs: at,
			people: [...this.#people.values()],
			stage: closed(this.#stage),
			speaking: closed(this.#speaking),
			muted: closed(this.#muted),
			events: [...this.#events],
			chat: [...this.#chat],
		};
	}

	/** Closes every open interval at `now` and returns the whole timeline. */
	finish(now: number): TimelineData {
		const at = this.#at(now);
		for (const open of [this.#openStage, this.#openSpeaking, this.#openMuted]) {
			for (const userId of [...open.keys()]) {
				this.#close(open, userId, at);
			}
		}

		return {
			startedAt: this.#startedAt,
			durationMs: at,
			people: [...this.#people.values()],
			stage: [...this.#stage],
			speaking: [...this.#speaking],
			muted: [...this.#muted],
			events: [...this.#events],
			chat: [...this.#chat],
		};
	}

	#at(now: number): number {
		return Math.max(0, Math.round(now - this.#startedAt));
	}

	#open(open: Map<string, TimelineSpan>, list: TimelineSpan[], userId: string, at: number): void {
		const span = { userId, fromMs: at, toMs: null };
		open.set(userId, span);
		list.push(span);
	}

	#close(open: Map<string, TimelineSpan>, userId: string, at: number): void {
		const span = open.get(userId);
		if (span) {
			span.toMs = at;
			open.delete(userId);
		}
	}
}
