import { type Static, type TSchema, Type } from 'typebox';
import { compile } from './checker.js';
import { CHAT_LIMITS } from './chat.js';
import { GuestKindSchema, IdSchema, RoleSchema, RoomStateSchema, UserSummarySchema } from './domain.js';
import { HandSchema, LiveRoomInfoSchema } from './messages.js';
import { ModerationEntrySchema, ReportSchema } from './moderation.js';

/** Bus channel on which the API tells SFU nodes about room changes. */
export const ROOM_EVENTS_CHANNEL = 'majlis:room-events';

/** API → SFU operations, published on {@link ROOM_EVENTS_CHANNEL}; validated on receipt like client frames. */
export const RoomEvents = {
	/** Settings changed (title, speakRequests, maxSpeakers…). */
	'room.updated': Type.Object({ roomId: IdSchema, room: LiveRoomInfoSchema }),
	/** A user's room-level role changed: co-host, moderator, or back to `listener` (appointment removed). */
	'room.role': Type.Object({ roomId: IdSchema, userId: IdSchema, role: RoleSchema }),
	/** A guest-list entry changed (`kind: null` when removed). */
	'room.guest': Type.Object({
		roomId: IdSchema,
		userId: IdSchema,
		kind: Type.Union([GuestKindSchema, Type.Null()]),
	}),
	/** The room ended through the API. */
	'room.ended': Type.Object({ roomId: IdSchema }),
	/** Someone was banned through the API (by handle): the live room bans them and they leave. */
	'room.banned': Type.Object({ roomId: IdSchema, userId: IdSchema }),
	/** A moderation act the API did (role change, unban, ban by handle): moderators see it live. */
	'room.moderation': Type.Object({ roomId: IdSchema, entry: ModerationEntrySchema }),
	/** Someone in the room was reported: its moderators see it in their live queue. */
	'room.report': Type.Object({ roomId: IdSchema, report: ReportSchema }),
	/** A removal was lifted (host or co-host): the user may join the live room again. */
	'room.unbanned': Type.Object({ roomId: IdSchema, userId: IdSchema }),
} as const satisfies Record<string, TSchema>;

/** Names of API → SFU operations. */
export type RoomEventType = keyof typeof RoomEvents;
/** A message on {@link ROOM_EVENTS_CHANNEL}. */
export type RoomEvent = {
	[K in RoomEventType]: { type: K; data: Static<(typeof RoomEvents)[K]> };
}[RoomEventType];

/** Bus channel on which the API tells SFU nodes about accounts. */
export const USER_EVENTS_CHANNEL = 'majlis:user-events';

/** API → SFU account events, published on {@link USER_EVENTS_CHANNEL}. */
export const UserEvents = {
	/**
	 * Sessions of a user were revoked (log-out, log-out everywhere, a password change): their live
	 * sockets must close. `sessionIds: null` means every session of the user.
	 */
	'user.sessions-revoked': Type.Object({
		userId: IdSchema,
		sessionIds: Type.Union([Type.Array(IdSchema), Type.Null()]),
	}),
} as const satisfies Record<string, TSchema>;

/** A message on {@link USER_EVENTS_CHANNEL}. */
export type UserEvent = {
	[K in keyof typeof UserEvents]: { type: K; data: Static<(typeof UserEvents)[K]> };
}[keyof typeof UserEvents];

/** Body of `POST /api/internal/rooms/:id/bans` (SFU → API, service token). */
export const InternalBanSchema = Type.Object({ userId: IdSchema, by: IdSchema });
/** Body of `POST /api/internal/rooms/:id/end` (SFU → API, service token). */
export const InternalEndSchema = Type.Object({ by: Type.Union([IdSchema, Type.Null()]) });
/** Body of `POST /api/internal/rooms/:id/host` (SFU → API): a co-host took over after the host left. */
export const InternalHostSchema = Type.Object({ userId: IdSchema });

/**
 * Reply of `GET /api/internal/rooms/:id` (SFU → API, service token): what an SFU node needs when it opens
 * a room — its live settings ({@link LiveRoomInfoSchema}'s fields), state, host, appointments, guest list
 * and the users removed (banned) from it.
 */
export const InternalRoomSchema = Type.Object({
	...LiveRoomInfoSchema.properties,
	state: RoomStateSchema,
	hostId: IdSchema,
	cohosts: Type.Array(UserSummarySchema),
	moderators: Type.Array(UserSummarySchema),
	guests: Type.Array(Type.Object({ userId: IdSchema, kind: GuestKindSchema })),
	/** Ids of users removed from the room; they may not join again. */
	banned: Type.Array(IdSchema),
});
/** Reply of `GET /api/internal/rooms/:id`. */
export type InternalRoom = Static<typeof InternalRoomSchema>;

/** What an SFU node publishes about itself in the node registry. */
export const SfuNodeSchema = Type.Object({
	id: Type.String(),
	/** Absolute ws(s) URL clients connect to. */
	url: Type.String(),
	rooms: Type.Integer(),
	peers: Type.Integer(),
	consumers: Type.Integer(),
	/** Consumers this node accepts before the API places listeners elsewhere. */
	capacity: Type.Integer(),
	/** Last heartbeat (ms since epoch); nodes silent for 3 heartbeats are dead. */
	seenAt: Type.Number(),
});
/** What an SFU node publishes about itself in the node registry. */
export type SfuNode = Static<typeof SfuNodeSchema>;

/** Registry key (hash: node id → JSON {@link SfuNode}). */
export const SFU_NODES_KEY = 'majlis:sfu:nodes';
/** How often SFU nodes refresh their registry entry; a node silent for 3 beats is dead, so this bounds failover. */
export const SFU_HEARTBEAT_MS = 1000;

/** A node silent for this long is dead (three missed heartbeats). */
export const SFU_NODE_TIMEOUT_MS = 3 * SFU_HEARTBEAT_MS;

const sfuNodeChecker = compile(SfuNodeSchema);

/** Parses the registry hash; entries that are not valid {@link SfuNode} JSON are skipped. */
export function parseSfuNodes(hash: Record<string, string>): SfuNode[] {
	const nodes: SfuNode[] = [];
	for (const raw of Object.values(hash)) {
		try {
			const value: unknown = JSON.parse(raw);
			if (sfuNodeChecker.check(value)) {
				nodes.push(value);
			}
		} catch {
			// A corrupt entry must not hide the healthy nodes.
		}
	}

	return nodes;
}

/** Whether the node's last heartbeat is recent enough. */
export function isSfuNodeAlive(node: SfuNode, now: number): boolean {
	return now - node.seenAt < SFU_NODE_TIMEOUT_MS;
}

/** Bus key naming the SFU node that serves a live room (set by the API when placing it). */
export function roomNodeKey(roomId: string): string {
	return `majlis:room:${roomId}:node`;
}

/** Bus key holding a live room's listener count, people connected and not on stage (SFU writes, API reads). */
export function roomPresenceKey(roomId: string): string {
	return `majlis:room:${roomId}:presence`;
}

/** Bus key of a room's live state (JSON {@link LiveStateData}; the serving SFU writes it, the API reads who is on stage). */
export function roomLiveKey(roomId: string): string {
	return `majlis:room:${roomId}:live`;
}

/** A room-level appointment. */
export const AppointedRoleSchema = Type.Union([Type.Literal('cohost'), Type.Literal('moderator')]);
/** A room-level appointment. */
export type AppointedRole = Static<typeof AppointedRoleSchema>;

/** A live room's chat moderation as kept in the bus: who is muted in chat, and the slow mode. */
export const LiveChatDataSchema = Type.Object({
	muted: Type.Array(IdSchema),
	slowModeSeconds: Type.Integer({ minimum: 0, maximum: CHAT_LIMITS.maxSlowModeSeconds }),
});
/** A live room's chat moderation as kept in the bus. */
export type LiveChatData = Static<typeof LiveChatDataSchema>;

/** The serialized live state of a room, as kept in the bus (write-through) for a restart or another node. */
export const LiveStateDataSchema = Type.Object({
	version: Type.Literal(1),
	info: LiveRoomInfoSchema,
	hostId: IdSchema,
	appointments: Type.Array(
		Type.Object({ userId: IdSchema, role: AppointedRoleSchema, since: Type.Number() })
	),
	guests: Type.Array(Type.Object({ userId: IdSchema, kind: GuestKindSchema })),
	banned: Type.Array(IdSchema),
	stage: Type.Array(Type.Object({ user: UserSummarySchema, since: Type.Number(), muted: Type.Boolean() })),
	hands: Type.Array(HandSchema),
	invited: Type.Array(Type.Object({ userId: IdSchema, by: IdSchema })),
	hostAwayUntil: Type.Union([Type.Number(), Type.Null()]),
	savedAt: Type.Number(),
	// Chat moderation (#15): who is muted in chat and the slow mode, so they outlive a restart or a move.
	// Optional: state saved before it existed reads as "nobody muted, no slow mode".
	chat: Type.Optional(LiveChatDataSchema),
});
/** The serialized live state of a room. */
export type LiveStateData = Static<typeof LiveStateDataSchema>;

// ─── SFU node ↔ node (rooms larger than a node) ────────────────────────────────────────────────────

/** Bus channel of one SFU node: requests, replies and messages from the other nodes. */
export function sfuNodeChannel(nodeId: string): string {
	return `majlis:sfu:node:${nodeId}`;
}

/** A stage producer as piped from the origin node to a relay node (a PipeTransport consumer's view). */
export const PipedProducerSchema = Type.Object({
	/** The origin producer's id; the relay's pipe producer keeps it. */
	id: Type.String(),
	/** Whose microphone. */
	userId: IdSchema,
	/** RTP parameters of the origin's pipe consumer, produced as is on the relay. */
	rtpParameters: Type.Record(Type.String(), Type.Unknown()),
	/** Whether the origin producer is paused (muted). */
	paused: Type.Boolean(),
});
/** A stage producer as piped from the origin node to a relay node. */
export type PipedProducer = Static<typeof PipedProducerSchema>;

/** One end of an inter-node PipeTransport: address, port and SRTP parameters. */
export const PipeEndSchema = Type.Object({
	ip: Type.String(),
	port: Type.Integer({ minimum: 1, maximum: 65535 }),
	srtpParameters: Type.Optional(Type.Object({ cryptoSuite: Type.String(), keyBase64: Type.String() })),
});
/** One end of an inter-node PipeTransport. */
export type PipeEnd = Static<typeof PipeEndSchema>;

// `connId` names one client connection on the relay node (a user may reconnect: each socket is new).
const RelayPeerRef = { roomId: IdSchema, connId: Type.String({ maxLength: 64 }) };

/**
 * Requests a relay node makes of a room's origin node (bus request/reply on {@link sfuNodeChannel}), with
 * their reply schemas. The origin keeps the room's authority; the relay serves listeners' media.
 */
export const NodeRequests = {
	/** Opens the relay's link: the origin creates its PipeTransport end and pipes every stage producer. */
	'link:open': {
		request: Type.Object({ roomId: IdSchema, pipe: PipeEndSchema }),
		reply: Type.Object({ pipe: PipeEndSchema, producers: Type.Array(PipedProducerSchema) }),
	},
	/**
	 * A listener connected to a relay: they join the room on the origin. The relay forwards the user's join
	 * ticket, and the origin reads who they are from it (it never takes the relay's word).
	 */
	'peer:join': {
		request: Type.Object({ ...RelayPeerRef, ticket: Type.String({ minLength: 1, maxLength: 4096 }) }),
		reply: Type.Object({ snapshot: Type.Record(Type.String(), Type.Unknown()) }),
	},
	/** A room-level request of a listener on a relay (hand, stage, moderation…), answered by the origin's Room. */
	'peer:request': {
		request: Type.Object({ ...RelayPeerRef, type: Type.String(), data: Type.Unknown() }),
		reply: Type.Object({ data: Type.Unknown() }),
	},
} as const satisfies Record<string, { request: TSchema; reply: TSchema }>;

/** Names of {@link NodeRequests}. */
export type NodeRequestType = keyof typeof NodeRequests;

/** One item of a `link:batch`: notifications for some of the relay's connections, or a connection to close. */
export const LinkItemSchema = Type.Union([
	Type.Object({
		kind: Type.Literal('notify'),
		/** Connection ids on the relay. */
		to: Type.Array(Type.String()),
		type: Type.String(),
		data: Type.Unknown(),
	}),
	Type.Object({
		kind: Type.Literal('close'),
		connId: Type.String(),
		code: Type.Integer(),
		reason: Type.String(),
	}),
]);
/** One item of a `link:batch`. */
export type LinkItem = Static<typeof LinkItemSchema>;

/** One-way messages between nodes about a room (in order, per sender, on {@link sfuNodeChannel}). */
export const NodeMessages = {
	/** Relay → origin: a listener's connection ended (`dropped`: without `session:leave`). */
	'peer:leave': Type.Object({
		...RelayPeerRef,
		how: Type.Union([Type.Literal('left'), Type.Literal('dropped')]),
	}),
	/** Relay → origin: the relay has no listener of the room left; the origin closes its pipe end. */
	'link:close': Type.Object({ roomId: IdSchema }),
	/** Origin → relay: what the room's Room told the relay's connections, in order. */
	'link:batch': Type.Object({ roomId: IdSchema, items: Type.Array(LinkItemSchema) }),
	/** Origin → relay: a new stage producer to produce on the relay's pipe end. */
	'link:producer': Type.Object({ roomId: IdSchema, producer: PipedProducerSchema }),
	/** Origin → relay: a stage producer closed, paused or resumed. */
	'link:producerState': Type.Object({
		roomId: IdSchema,
		producerId: Type.String(),
		state: Type.Union([Type.Literal('closed'), Type.Literal('paused'), Type.Literal('resumed')]),
	}),
	/** Origin → relay: the room closed on the origin (after its `link:batch` closes). */
	'link:closed': Type.Object({ roomId: IdSchema }),
} as const satisfies Record<string, TSchema>;

/** Names of {@link NodeMessages}. */
export type NodeMessageType = keyof typeof NodeMessages;

/** Envelope of every bus message between SFU nodes. */
export const NodeEnvelopeSchema = Type.Union([
	Type.Object({
		kind: Type.Literal('req'),
		id: Type.Integer(),
		from: Type.String(),
		op: Type.String(),
		data: Type.Unknown(),
	}),
	Type.Object({
		kind: Type.Literal('res'),
		id: Type.Integer(),
		ok: Type.Boolean(),
		data: Type.Optional(Type.Unknown()),
		error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
	}),
	Type.Object({ kind: Type.Literal('msg'), from: Type.String(), op: Type.String(), data: Type.Unknown() }),
]);
/** Envelope of every bus message between SFU nodes. */
export type NodeEnvelope = Static<typeof NodeEnvelopeSchema>;
