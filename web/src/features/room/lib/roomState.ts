import type {
	Hand,
	LiveRoomInfo,
	NotificationData,
	NotificationType,
	RecordingStatus,
	Role,
	SelfState,
	ServerNotification,
	Snapshot,
	StageMember,
	UserSummary,
} from '@majlis/protocol';
import type { MessageKey } from '../../../i18n';

/** Why a room ended (from `room:ended`). */
export type EndReason = NotificationData<'room:ended'>['reason'];
/** Why the server is closing this session (from `session:closing`). */
export type ClosingReason = NotificationData<'session:closing'>['reason'];

/** What one client knows about a live room: the snapshot with every delta since applied. */
export interface RoomState {
	/** Room settings. */
	room: LiveRoomInfo;
	/** This client's own state. */
	self: SelfState;
	/** Stage members, in the order they came up. */
	stage: StageMember[];
	/** People connected and listening. */
	listenerCount: number;
	/** Raised hands, first come first served (moderators only). */
	hands: Hand[];
	/** Who is speaking now, loudest first. */
	speaking: string[];
	/** When the absent host's grace period ends, or null. */
	hostAwayUntil: number | null;
	/** Who hosts, as last seen (kept while the host is away and off the stage); null when never seen. */
	hostId: string | null;
	/** Who invited this client to the stage, while the invitation is pending. */
	invitedBy: UserSummary | null;
	/** Set once the room has ended. */
	ended: EndReason | null;
	/** Set when the server announced it is closing this session. */
	closing: ClosingReason | null;
	/** The recording running now (everyone sees it), or null. */
	recording: RecordingStatus | null;
	/** Sequence number of the last delta applied. */
	seq: number;
}

/** A value in an announcement: plain text, or a message key translated when shown. */
export type AnnouncementValue = string | { key: MessageKey };

/** Something to say in the ARIA live region; translated when rendered so it follows the language. */
export interface Announcement {
	/** Message key. */
	key: MessageKey;
	/** Placeholder values. */
	vars?: Record<string, AnnouncementValue>;
}

/** Result of {@link applyDelta}. */
export interface DeltaResult {
	/** The new state (the same object when nothing changed). */
	state: RoomState;
	/** What screen reader users should hear about the change. */
	announcements: Announcement[];
}

/** Notifications that change room state and are ordered by `seq`; the rest are media or one-off signals. */
export const ROOM_DELTAS: ReadonlySet<NotificationType> = new Set<NotificationType>([
	'stage:member',
	'stage:left',
	'listeners:count',
	'hand:raised',
	'hand:lowered',
	'self:state',
	'stage:invited',
	'speaker:muted',
	'room:updated',
	'host:away',
	'host:changed',
]);

/** Message key naming a role. */
export function roleKey(role: Role): MessageKey {
	return `role.${role}`;
}

function byStageOrder(a: StageMember, b: StageMember): number {
	return a.since - b.since || a.userId.localeCompare(b.userId);
}

function byHandOrder(a: Hand, b: Hand): number {
	return a.at - b.at || a.user.id.localeCompare(b.user.id);
}

/** The state a snapshot describes. */
export function stateFromSnapshot(snapshot: Snapshot): RoomState {
	return {
		room: snapshot.room,
		self: snapshot.self,
		stage: [...snapshot.stage].sort(byStageOrder),
		listenerCount: snapshot.listenerCount,
		hands: [...(snapshot.hands ?? [])].sort(byHandOrder),
		speaking: [],
		hostAwayUntil: snapshot.hostAwayUntil,
		hostId: snapshot.stage.find((m) => m.role === 'host')?.userId ?? null,
		invitedBy: null,
		ended: null,
		closing: null,
		recording: snapshot.recording ?? null,
		seq: snapshot.seq,
	};
}

/** The display name of a user the state knows (stage or hands), if any. */
export function nameOf(state: RoomState, userId: string): string | undefined {
	return (
		state.stage.find((m) => m.userId === userId)?.displayName ??
		state.hands.find((h) => h.user.id === userId)?.user.displayName ??
		(state.invitedBy?.id === userId ? state.invitedBy.displayName : undefined)
	);
}

const someone: AnnouncementValue = { key: 'announce.someone' };

function selfAnnouncements(before: SelfState, after: SelfState): Announcement[] {
	const out: Announcement[] = [];
	if (!before.onStage && after.onStage) {
		out.push({ key: 'announce.youOnStage' });
	} else if (before.onStage && !after.onStage) {
		out.push({ key: 'announce.youListener' });
	} else if (after.onStage && before.muted !== after.muted) {
		out.push({ key: after.muted ? 'room.youAreMuted' : 'room.youAreLive' });
	}
	if (!before.handRaised && after.handRaised) {
		out.push({ key: 'announce.youHandRaised' });
	} else if (before.handRaised && !after.handRaised && !after.onStage && !after.invited) {
		out.push({ key: 'announce.youHandLowered' });
	}
	if (before.role !== after.role) {
		out.push({ key: 'announce.youRole', vars: { role: { key: roleKey(after.role) } } });
	}

	return out;
}

/**
 * Applies one notification to the state (pure). Deltas must come in `seq` order (see `DeltaOrderer`);
 * media notifications leave the state as it is.
 */
export function applyDelta(state: RoomState, notification: ServerNotification): DeltaResult {
	const seq = ROOM_DELTAS.has(notification.type) ? Math.max(state.seq, notification.seq) : state.seq;
	const selfId = state.self.userId;
	const n = notification as { [T in NotificationType]: ServerNotification<T> }[NotificationType];
	switch (n.type) {
		case 'stage:member': {
			const member = n.data;
			const before = state.stage.find((m) => m.userId === member.userId);
			const stage = [...state.stage.filter((m) => m.userId !== member.userId), member].sort(byStageOrder);
			const hostId = member.role === 'host' ? member.userId : state.hostId;
			const announcements: Announcement[] = [];
			if (member.userId !== selfId) {
				if (!before) {
					announcements.push({ key: 'announce.joinedStage', vars: { name: member.displayName } });
				} else if (before.muted !== member.muted) {
					announcements.push({
						key: member.muted ? 'announce.muted' : 'announce.unmuted',
						vars: { name: member.displayName },
					});
				}
			}

			return { state: { ...state, stage, hostId, seq }, announcements };
		}
		case 'stage:left': {
			const before = state.stage.find((m) => m.userId === n.data.userId);
			if (!before) {
				return { state: { ...state, seq }, announcements: [] };
			}

			return {
				state: {
					...state,
					stage: state.stage.filter((m) => m.userId !== n.data.userId),
					speaking: state.speaking.filter((id) => id !== n.data.userId),
					seq,
				},
				announcements:
					n.data.userId === selfId ? [] : [{ key: 'announce.leftStage', vars: { name: before.displayName } }],
			};
		}
		case 'stage:speaking': {
			return { state: { ...state, speaking: [...n.data.userIds] }, announcements: [] };
		}
		case 'listeners:count': {
			return { state: { ...state, listenerCount: n.data.count, seq }, announcements: [] };
		}
		case 'hand:raised': {
			const had = state.hands.some((h) => h.user.id === n.data.user.id);
			const hands = [...state.hands.filter((h) => h.user.id !== n.data.user.id), n.data].sort(byHandOrder);

			return {
				state: { ...state, hands, seq },
				announcements: had ? [] : [{ key: 'announce.handRaised', vars: { name: n.data.user.displayName } }],
			};
		}
		case 'hand:lowered': {
			return {
				state: { ...state, hands: state.hands.filter((h) => h.user.id !== n.data.userId), seq },
				announcements: [],
			};
		}
		case 'self:state': {
			const self = n.data;

			return {
				state: { ...state, self, invitedBy: self.invited ? state.invitedBy : null, seq },
				announcements: selfAnnouncements(state.self, self),
			};
		}
		case 'stage:invited': {
			return {
				state: { ...state, invitedBy: n.data.by, seq },
				announcements: [{ key: 'announce.youInvited', vars: { name: n.data.by.displayName } }],
			};
		}
		case 'speaker:muted': {
			const by = nameOf(state, n.data.by) ?? someone;
			const announcements: Announcement[] =
				n.data.userId === selfId && n.data.by !== selfId
					? [{ key: 'announce.youWereMuted', vars: { by } }]
					: [];

			return { state: { ...state, seq }, announcements };
		}
		case 'room:updated': {
			return { state: { ...state, room: n.data, seq }, announcements: [] };
		}
		case 'host:away': {
			return {
				state: { ...state, hostAwayUntil: n.data.until, seq },
				announcements: [{ key: 'announce.hostAway' }],
			};
		}
		case 'host:changed': {
			// In a takeover the former host leaves the stage first, so the host is remembered apart from it.
			const previousHost = state.hostId;
			const changed =
				previousHost !== n.data.userId && (previousHost !== null || state.hostAwayUntil !== null);
			const announcements: Announcement[] = changed
				? [{ key: 'announce.hostChanged', vars: { name: nameOf(state, n.data.userId) ?? someone } }]
				: [];

			return { state: { ...state, hostAwayUntil: null, hostId: n.data.userId, seq }, announcements };
		}
		case 'room:ended': {
			return { state: { ...state, ended: n.data.reason }, announcements: [{ key: 'announce.roomEnded' }] };
		}
		case 'session:closing': {
			return { state: { ...state, closing: n.data.reason }, announcements: [] };
		}
		case 'recording:state': {
			const started = n.data.recording !== null;
			const changed = started !== (state.recording !== null);

			return {
				state: { ...state, recording: n.data.recording },
				announcements: changed
					? [{ key: started ? 'announce.recordingStarted' : 'announce.recordingStopped' }]
					: [],
			};
		}
		case 'consumer:new':
		case 'consumer:closed': {
			return { state, announcements: [] };
		}
		default: {
			return { state, announcements: [] };
		}
	}
}
