import { randomUUID } from 'node:crypto';
import {
	canModerate,
	type InternalModerationEntry,
	type ModerationAction,
	type ModerationEntry,
	type Report,
	type UserSummary,
} from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { Clock } from '../Clock.js';
import { ForbiddenError } from '../errors.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** Where a room's moderation log is kept (the API's Postgres, through its internal routes). */
export interface ModerationStore {
	/** The room's log so far, oldest first. */
	moderationLog(roomId: string): Promise<ModerationEntry[]>;
	/** Keeps one entry. */
	recordModeration(roomId: string, entry: InternalModerationEntry): Promise<void>;
}

/** What {@link ModerationLog} needs of its room. */
export interface ModerationLogDeps {
	/** Room id. */
	roomId: string;
	/** The room's connections, by user id (to name a target). */
	peers: ReadonlyMap<string, Peer>;
	/** The room's live state (who may read the log). */
	state: LiveState;
	/** Who is told what (moderators see each act live). */
	notifier: RoomNotifier;
	/** Persistence. */
	store: ModerationStore;
	/** Time. */
	clock: Clock;
	/** The room's logger. */
	log: Logger;
}

// Entries a live room keeps in memory for moderators who join late (the API keeps them all).
const KEPT = 500;

/**
 * The moderation log of a live room: every act (mute, mute all, move to listeners, remove, chat delete,
 * chat mute, end — and the API's role changes, bans and unbans, which arrive as room events) with actor,
 * target, time and reason, shown live to host, co-hosts and moderators and stored with the room, so it
 * is still there once the room ended.
 */
export class ModerationLog {
	readonly #deps: ModerationLogDeps;
	#entries: ModerationEntry[] = [];
	#loaded: Promise<void> | undefined;

	/** The log of one room. */
	constructor(deps: ModerationLogDeps) {
		this.#deps = deps;
	}

	/** Records an act of `actor` on `target` (a user, a user id, or null for the room). */
	record(
		actor: UserSummary | null,
		action: ModerationAction,
		target: UserSummary | string | null,
		reason?: string,
		detail?: string
	): ModerationEntry {
		const entry: ModerationEntry = {
			id: randomUUID(),
			at: this.#deps.clock.now(),
			action,
			actor,
			target: typeof target === 'string' ? this.target(target) : target,
			reason: reason?.trim() || null,
			detail: detail ?? null,
		};
		this.#add(entry);
		this.#deps.store
			.recordModeration(this.#deps.roomId, {
				id: entry.id,
				at: entry.at,
				action,
				actorId: actor?.id ?? null,
				targetId: entry.target?.id ?? null,
				reason: entry.reason,
				detail: entry.detail,
			})
			.catch((error: unknown) => this.#deps.log.warn({ err: error, action }, 'record() | not stored'));

		return entry;
	}

	/** An act the API recorded (role change, ban by handle, unban): moderators see it live. */
	apply(entry: ModerationEntry): void {
		if (!this.#entries.some((e) => e.id === entry.id)) {
			this.#add(entry);
		}
	}

	/** Someone in the room was reported (through the API): the moderators' live queue gets it. */
	report(report: Report): void {
		this.#deps.notifier.toModerators('report:new', report);
	}

	/** The log so far, for host, co-hosts and moderators. */
	async list(peer: Peer): Promise<ModerationEntry[]> {
		if (!canModerate(this.#deps.state.roleOf(peer.id))) {
			throw new ForbiddenError('only host, co-hosts and moderators see the moderation log');
		}
		this.#loaded ??= this.#deps.store.moderationLog(this.#deps.roomId).then(
			(stored) => {
				const known = new Set(stored.map((e) => e.id));
				this.#entries = [...stored, ...this.#entries.filter((e) => !known.has(e.id))].slice(-KEPT);
			},
			(error: unknown) => {
				this.#loaded = undefined;
				throw error;
			}
		);
		await this.#loaded;

		return [...this.#entries];
	}

	#add(entry: ModerationEntry): void {
		this.#entries.push(entry);
		if (this.#entries.length > KEPT) {
			this.#entries.shift();
		}
		this.#deps.notifier.toModerators('moderation:entry', entry);
	}

	/** Who `userId` is, as far as the room knows (name them before they leave). */
	target(userId: string): UserSummary {
		const peer = this.#deps.peers.get(userId);
		if (peer) {
			return peer.user;
		}
		const entry = this.#deps.state.stageEntry(userId);

		// Someone who already left: the API's copy of the log names them.
		return entry?.user ?? { id: userId, handle: '', displayName: '' };
	}
}
