import {
	type AppointedRole,
	compile,
	type GuestKind,
	type Hand,
	type InternalRoom,
	type LiveRoomInfo,
	type LiveStateData,
	LiveStateDataSchema,
	Role,
	type UserSummary,
	speaksByDefault,
} from '@majlis/protocol';
import { ForbiddenError, InvalidStateError, NotFoundError, StageFullError } from '../errors.js';
import { Action, can } from './permissions.js';

/** A place on the stage; survives reconnections of its user (the mute state with it). */
export interface StageEntry {
	/** Who is on stage. */
	readonly user: UserSummary;
	/** When they came on stage (ms since epoch); orders the stage. */
	readonly since: number;
	/** Muted by themselves or by a moderator. */
	muted: boolean;
}

export type { LiveStateData };
/** Validator of {@link LiveStateData} (data read back from the bus is untrusted). */
export const liveStateDataChecker = compile(LiveStateDataSchema);

/** What leaving the room changed for a user. */
export interface Departure {
	/** They were on stage. */
	leftStage: boolean;
	/** Their hand was up. */
	handLowered: boolean;
	/** They had a pending invitation. */
	inviteCleared: boolean;
}

/**
 * The rules and state of a live room without any media or I/O: roles, stage, hand queue, invitations,
 * mutes and bans. Every transition checks its permission and throws a wire error (errors.ts) when
 * refused, so the rules can be unit-tested; the Room applies the media side and notifies clients.
 */
export class LiveState {
	#info: LiveRoomInfo;
	#hostId: string;
	readonly #appointments = new Map<string, { role: AppointedRole; since: number }>();
	readonly #guests = new Map<string, GuestKind>();
	readonly #banned = new Set<string>();
	readonly #stage = new Map<string, StageEntry>();
	#hands: Hand[] = [];
	readonly #invited = new Map<string, string>();
	#hostAwayUntil: number | null = null;

	private constructor(info: LiveRoomInfo, hostId: string) {
		this.#info = info;
		this.#hostId = hostId;
	}

	/**
	 * The state of a room being opened: the API's record (authoritative for settings, roles, guests and
	 * bans) plus, when a node served it before, the live part saved in the bus (stage, hands, mutes,
	 * invitations, host grace).
	 */
	static open(room: InternalRoom, saved: LiveStateData | null, now: number): LiveState {
		const state = new LiveState(
			{ id: room.id, title: room.title, speakRequests: room.speakRequests, maxSpeakers: room.maxSpeakers },
			room.hostId
		);
		const savedSince = new Map((saved?.appointments ?? []).map((a) => [`${a.userId}:${a.role}`, a.since]));
		// The API lists appointments oldest first; keep that order when no earlier time is known.
		for (const [i, user] of room.cohosts.entries()) {
			const since = savedSince.get(`${user.id}:cohost`) ?? now - room.cohosts.length + i;
			state.#appointments.set(user.id, { role: 'cohost', since });
		}
		for (const [i, user] of room.moderators.entries()) {
			const since = savedSince.get(`${user.id}:moderator`) ?? now - room.moderators.length + i;
			state.#appointments.set(user.id, { role: 'moderator', since });
		}
		state.#appointments.delete(room.hostId);
		for (const guest of room.guests) {
			state.#guests.set(guest.userId, guest.kind);
		}
		for (const userId of [...room.banned, ...(saved?.banned ?? [])]) {
			state.#banned.add(userId);
		}
		if (saved) {
			for (const entry of [...saved.stage].sort((a, b) => a.since - b.since)) {
				if (!state.#banned.has(entry.user.id)) {
					state.#stage.set(entry.user.id, { user: entry.user, since: entry.since, muted: entry.muted });
				}
			}
			state.#hands = saved.hands
				.filter((hand) => !state.#banned.has(hand.user.id) && state.#mayRaiseHand(hand.user.id))
				.sort((a, b) => a.at - b.at);
			for (const { userId, by } of saved.invited) {
				if (!state.#banned.has(userId) && !state.#stage.has(userId)) {
					state.#invited.set(userId, by);
				}
			}
			state.#hostAwayUntil = saved.hostId === room.hostId ? saved.hostAwayUntil : null;
		}

		return state;
	}

	/** The live state as saved in the bus. */
	toData(now: number): LiveStateData {
		return {
			version: 1,
			info: this.#info,
			hostId: this.#hostId,
			appointments: [...this.#appointments].map(([userId, a]) => ({ userId, role: a.role, since: a.since })),
			guests: [...this.#guests].map(([userId, kind]) => ({ userId, kind })),
			banned: [...this.#banned],
			stage: [...this.#stage.values()].map((e) => ({ user: e.user, since: e.since, muted: e.muted })),
			hands: [...this.#hands],
			invited: [...this.#invited].map(([userId, by]) => ({ userId, by })),
			hostAwayUntil: this.#hostAwayUntil,
			savedAt: now,
		};
	}

	/** Room settings. */
	get info(): LiveRoomInfo {
		return this.#info;
	}

	/** The host's user id. */
	get hostId(): string {
		return this.#hostId;
	}

	/** While the host is away: when their grace period ends. */
	get hostAwayUntil(): number | null {
		return this.#hostAwayUntil;
	}

	/** The role a user has by appointment (host, co-host, moderator) or else `listener`. */
	appointedRole(userId: string): Role {
		if (userId === this.#hostId) {
			return Role.Host;
		}

		return this.#appointments.get(userId)?.role ?? Role.Listener;
	}

	/** The role a user shows in the room: their appointment, else `speaker` on stage, else `listener`. */
	roleOf(userId: string): Role {
		const appointed = this.appointedRole(userId);
		if (appointed !== Role.Listener) {
			return appointed;
		}

		return this.#stage.has(userId) ? Role.Speaker : Role.Listener;
	}

	/** Whether the user was removed from the room. */
	isBanned(userId: string): boolean {
		return this.#banned.has(userId);
	}

	/** Whether the user is on stage. */
	isOnStage(userId: string): boolean {
		return this.#stage.has(userId);
	}

	/** A user's stage entry. */
	stageEntry(userId: string): StageEntry | undefined {
		return this.#stage.get(userId);
	}

	/** The stage, in the order people came up. */
	stage(): StageEntry[] {
		return [...this.#stage.values()].sort((a, b) => a.since - b.since);
	}

	/** The hand-raise queue, first come first. */
	hands(): readonly Hand[] {
		return this.#hands;
	}

	/** Whether the user's hand is up. */
	hasHand(userId: string): boolean {
		return this.#hands.some((hand) => hand.user.id === userId);
	}

	/** Whether the user has a pending stage invitation. */
	isInvited(userId: string): boolean {
		return this.#invited.has(userId);
	}

	/** Whether the user is on the guest list as a speaker (may come on stage without a hand). */
	isSpeakerGuest(userId: string): boolean {
		return this.#guests.get(userId) === 'speaker';
	}

	/** Co-hosts, longest-serving first. */
	cohosts(): string[] {
		return [...this.#appointments]
			.filter(([, a]) => a.role === Role.Cohost)
			.sort(([, a], [, b]) => a.since - b.since)
			.map(([userId]) => userId);
	}

	#mayRaiseHand(userId: string): boolean {
		switch (this.#info.speakRequests) {
			case 'everyone': {
				return true;
			}
			case 'invited': {
				return this.#guests.has(userId);
			}
			default: {
				return false;
			}
		}
	}

	#removeHand(userId: string): boolean {
		const before = this.#hands.length;
		this.#hands = this.#hands.filter((hand) => hand.user.id !== userId);

		return this.#hands.length !== before;
	}

	#assertRoomOnStage(): void {
		if (this.#stage.size >= this.#info.maxSpeakers) {
			throw new StageFullError(`the stage is full (${this.#info.maxSpeakers} speakers)`);
		}
	}

	/** Raises a hand under the room's `speakRequests` policy; null when it was already up. */
	raiseHand(user: UserSummary, now: number): Hand | null {
		if (this.#stage.has(user.id)) {
			throw new InvalidStateError('already on stage');
		}
		if (this.#info.speakRequests === 'off') {
			throw new ForbiddenError('requests to speak are off in this room');
		}
		if (!this.#mayRaiseHand(user.id)) {
			throw new ForbiddenError('only invited guests may request to speak in this room');
		}
		if (this.hasHand(user.id)) {
			return null;
		}
		const hand: Hand = { user, at: now };
		this.#hands.push(hand);

		return hand;
	}

	/** Lowers a hand; false when it was not up. */
	lowerHand(userId: string): boolean {
		return this.#removeHand(userId);
	}

	/** A moderator offers `targetId` a place on stage; their hand (if up) leaves the queue. */
	invite(actorId: string, targetId: string): { handLowered: boolean } {
		if (!can(this.roleOf(actorId), Action.Invite)) {
			throw new ForbiddenError('only the host, co-hosts and moderators may invite to the stage');
		}
		if (this.#banned.has(targetId)) {
			throw new NotFoundError('user was removed from this room');
		}
		if (this.#stage.has(targetId)) {
			throw new InvalidStateError('already on stage');
		}
		this.#assertRoomOnStage();
		this.#invited.set(targetId, actorId);

		return { handLowered: this.#removeHand(targetId) };
	}

	/**
	 * Comes on stage, muted: with an invitation, as a speaker guest, or as host/co-host (who speak by
	 * default). `maxSpeakers` counts everyone on stage, host and co-hosts included.
	 */
	accept(user: UserSummary, now: number): { entry: StageEntry; handLowered: boolean } {
		if (this.#stage.has(user.id)) {
			throw new InvalidStateError('already on stage');
		}
		const allowed =
			this.#invited.has(user.id) ||
			this.isSpeakerGuest(user.id) ||
			speaksByDefault(this.appointedRole(user.id));
		if (!allowed) {
			throw new ForbiddenError('no invitation to the stage');
		}
		this.#assertRoomOnStage();
		this.#invited.delete(user.id);
		const entry: StageEntry = { user, since: now, muted: true };
		this.#stage.set(user.id, entry);

		return { entry, handLowered: this.#removeHand(user.id) };
	}

	/** Declines a pending invitation. */
	decline(userId: string): void {
		if (!this.#invited.delete(userId)) {
			throw new InvalidStateError('no pending invitation');
		}
	}

	/**
	 * Puts the host or a co-host on stage (muted) when they connect; null when they are already there,
	 * do not speak by default, or (co-hosts) the stage is full. The host always gets a place.
	 */
	autoStage(user: UserSummary, now: number): StageEntry | null {
		const role = this.appointedRole(user.id);
		if (this.#stage.has(user.id) || !speaksByDefault(role)) {
			return null;
		}
		if (role !== Role.Host && this.#stage.size >= this.#info.maxSpeakers) {
			return null;
		}
		this.#invited.delete(user.id);
		this.#removeHand(user.id);
		const entry: StageEntry = { user, since: now, muted: true };
		this.#stage.set(user.id, entry);

		return entry;
	}

	/** Moves a stage member back to the listeners: themselves, or someone a moderator outranks. */
	leaveStage(actorId: string, targetId: string): StageEntry {
		if (actorId !== targetId && !can(this.roleOf(actorId), Action.MoveToListeners, this.roleOf(targetId))) {
			throw new ForbiddenError('not allowed to move this user to the listeners');
		}
		const entry = this.#stage.get(targetId);
		if (!entry) {
			throw new InvalidStateError('not on stage');
		}
		this.#stage.delete(targetId);

		return entry;
	}

	/** Mutes a stage member: oneself, or someone a moderator outranks. Returns whether it changed. */
	mute(actorId: string, targetId: string): boolean {
		if (actorId !== targetId && !can(this.roleOf(actorId), Action.Mute, this.roleOf(targetId))) {
			throw new ForbiddenError('not allowed to mute this user');
		}
		const entry = this.#stage.get(targetId);
		if (!entry) {
			throw new InvalidStateError('not on stage');
		}
		if (entry.muted) {
			return false;
		}
		entry.muted = true;

		return true;
	}

	/** Unmutes oneself; nobody can unmute someone else, and only stage members can speak. */
	unmute(userId: string): boolean {
		const entry = this.#stage.get(userId);
		if (!entry) {
			throw new ForbiddenError('only stage members can unmute');
		}
		if (!entry.muted) {
			return false;
		}
		entry.muted = false;

		return true;
	}

	/** Mutes every stage member the actor outranks (never the actor); returns who was muted. */
	muteAll(actorId: string): string[] {
		const actor = this.roleOf(actorId);
		if (!can(actor, Action.SeeHands)) {
			throw new ForbiddenError('only the host, co-hosts and moderators may mute speakers');
		}
		const muted: string[] = [];
		for (const entry of this.stage()) {
			const id = entry.user.id;
			if (id !== actorId && !entry.muted && can(actor, Action.Mute, this.roleOf(id))) {
				entry.muted = true;
				muted.push(id);
			}
		}

		return muted;
	}

	/** Throws unless the actor may remove (and ban) the target. */
	assertCanRemove(actorId: string, targetId: string): void {
		if (actorId === targetId) {
			throw new InvalidStateError('cannot remove oneself; leave instead');
		}
		if (!can(this.roleOf(actorId), Action.Remove, this.roleOf(targetId))) {
			throw new ForbiddenError('not allowed to remove this user');
		}
	}

	/** Bans a user from the room and forgets their live state. */
	ban(userId: string): Departure {
		this.#banned.add(userId);

		return this.forget(userId);
	}

	/** Lifts a ban (the API's unban); false when the user was not banned. */
	unban(userId: string): boolean {
		return this.#banned.delete(userId);
	}

	/** Throws unless the actor may end the room (only the host). */
	assertCanEnd(actorId: string): void {
		if (!can(this.roleOf(actorId), Action.End)) {
			throw new ForbiddenError('only the host can end the room');
		}
	}

	/** A user left the room: their place on stage, hand and invitation go (mutes go with the place). */
	forget(userId: string): Departure {
		return {
			leftStage: this.#stage.delete(userId),
			handLowered: this.#removeHand(userId),
			inviteCleared: this.#invited.delete(userId),
		};
	}

	/** New settings from the API; returns the users whose hands the new policy lowered. */
	updateInfo(info: LiveRoomInfo): string[] {
		this.#info = info;
		const lowered = this.#hands.filter((hand) => !this.#mayRaiseHand(hand.user.id)).map((h) => h.user.id);
		for (const userId of lowered) {
			this.#removeHand(userId);
		}

		return lowered;
	}

	/**
	 * An appointment changed through the API (`room.role`). `host` makes the user the host (the former
	 * host keeps no appointment); `cohost`/`moderator` appoint; anything else removes the appointment.
	 * The host's own role only changes by someone else becoming host.
	 */
	setAppointment(userId: string, role: Role, now: number): { before: Role; after: Role } {
		const before = this.roleOf(userId);
		if (role === Role.Host) {
			this.transferHost(userId);
		} else if (userId !== this.#hostId) {
			if (role === Role.Cohost || role === Role.Moderator) {
				const current = this.#appointments.get(userId);
				if (current?.role !== role) {
					this.#appointments.set(userId, { role, since: now });
				}
			} else {
				this.#appointments.delete(userId);
			}
		}

		return { before, after: this.roleOf(userId) };
	}

	/** Makes `userId` the host; returns the former host. */
	transferHost(userId: string): string {
		const former = this.#hostId;
		this.#hostId = userId;
		this.#appointments.delete(userId);
		this.#hostAwayUntil = null;

		return former;
	}

	/** A guest-list entry changed; returns whether that lowered their hand (policy `invited`). */
	setGuest(userId: string, kind: GuestKind | null): boolean {
		if (kind === null) {
			this.#guests.delete(userId);
		} else {
			this.#guests.set(userId, kind);
		}
		if (this.hasHand(userId) && !this.#mayRaiseHand(userId)) {
			return this.#removeHand(userId);
		}

		return false;
	}

	/** Starts (a time) or ends (null) the host's grace period. */
	setHostAway(until: number | null): void {
		this.#hostAwayUntil = until;
	}

	/** The longest-serving co-host for whom `isPresent` holds, to take over from an absent host. */
	pickSuccessor(isPresent: (userId: string) => boolean): string | undefined {
		return this.cohosts().find(isPresent);
	}
}
