import { type Static, type TSchema, Type } from 'typebox';
import { GuestKindSchema, IdSchema, RoleSchema, RoomStateSchema, UserSummarySchema } from './domain.js';
import { LiveRoomInfoSchema } from './messages.js';

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
} as const satisfies Record<string, TSchema>;

/** Names of API → SFU operations. */
export type RoomEventType = keyof typeof RoomEvents;
/** A message on {@link ROOM_EVENTS_CHANNEL}. */
export type RoomEvent = {
	[K in RoomEventType]: { type: K; data: Static<(typeof RoomEvents)[K]> };
}[RoomEventType];

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

/** Bus key naming the SFU node that serves a live room (set by the API when placing it). */
export function roomNodeKey(roomId: string): string {
	return `majlis:room:${roomId}:node`;
}

/** Bus key holding a live room's listener count, people connected and not on stage (SFU writes, API reads). */
export function roomPresenceKey(roomId: string): string {
	return `majlis:room:${roomId}:presence`;
}
