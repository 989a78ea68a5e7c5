import { type Static, Type } from 'typebox';

/** Roles in a room, most powerful first. */
export const Role = {
	Host: 'host',
	Cohost: 'cohost',
	Moderator: 'moderator',
	Speaker: 'speaker',
	Listener: 'listener',
} as const;
/** One of {@link Role}'s values. */
export type Role = (typeof Role)[keyof typeof Role];
/** TypeBox schema of a {@link Role}. */
export const RoleSchema = Type.Union([
	Type.Literal('host'),
	Type.Literal('cohost'),
	Type.Literal('moderator'),
	Type.Literal('speaker'),
	Type.Literal('listener'),
]);

/** Whether a role may manage the stage (invite, mute others, move to listeners, remove). */
export function canModerate(role: Role): boolean {
	return role === Role.Host || role === Role.Cohost || role === Role.Moderator;
}

/** Whether a role may send audio without being brought on stage first. */
export function speaksByDefault(role: Role): boolean {
	return role === Role.Host || role === Role.Cohost;
}

/** Room lifecycle states. */
export const RoomStateSchema = Type.Union([
	Type.Literal('scheduled'),
	Type.Literal('live'),
	Type.Literal('ended'),
]);
/** Room lifecycle state. */
export type RoomState = Static<typeof RoomStateSchema>;

/** Who may see and join a room. */
export const VisibilitySchema = Type.Union([
	Type.Literal('public'),
	Type.Literal('unlisted'),
	Type.Literal('private'),
]);
/** Who may see and join a room. */
export type Visibility = Static<typeof VisibilitySchema>;

/** Who may raise a hand to request to speak. */
export const SpeakRequestsSchema = Type.Union([
	Type.Literal('everyone'),
	Type.Literal('invited'),
	Type.Literal('off'),
]);
/** Who may raise a hand to request to speak. */
export type SpeakRequests = Static<typeof SpeakRequestsSchema>;

/** Who may write in a room's chat, chosen when scheduling: nobody, everyone, or the stage only. */
export const ChatModeSchema = Type.Union([Type.Literal('off'), Type.Literal('everyone'), Type.Literal('stage')]);
/** Who may write in a room's chat. */
export type ChatMode = Static<typeof ChatModeSchema>;

/** Kinds of guest-list entries. */
export const GuestKindSchema = Type.Union([Type.Literal('speaker'), Type.Literal('listener')]);
/** Kind of guest-list entry. */
export type GuestKind = Static<typeof GuestKindSchema>;

/** Identifier of users and rooms (UUID). */
export const IdSchema = Type.String({ format: 'uuid' });

/** The public face of a user. */
export const UserSchema = Type.Object({
	id: IdSchema,
	handle: Type.String(),
	displayName: Type.String(),
	createdAt: Type.String({ format: 'date-time' }),
});
/** The public face of a user. */
export type User = Static<typeof UserSchema>;

/** A user as shown next to a room (no timestamps). */
export const UserSummarySchema = Type.Object({
	id: IdSchema,
	handle: Type.String(),
	displayName: Type.String(),
});
/** A user as shown next to a room. */
export type UserSummary = Static<typeof UserSummarySchema>;

/** A room as the API returns it. */
export const RoomSchema = Type.Object({
	id: IdSchema,
	title: Type.String(),
	description: Type.String(),
	topics: Type.Array(Type.String()),
	scheduledFor: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
	visibility: VisibilitySchema,
	speakRequests: SpeakRequestsSchema,
	maxSpeakers: Type.Integer(),
	/** Who may write in the chat (default everyone). */
	chat: Type.Optional(ChatModeSchema),
	state: RoomStateSchema,
	host: UserSummarySchema,
	cohosts: Type.Array(UserSummarySchema),
	moderators: Type.Array(UserSummarySchema),
	listenerCount: Type.Integer(),
	startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
	endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
	createdAt: Type.String({ format: 'date-time' }),
	updatedAt: Type.String({ format: 'date-time' }),
	/** The caller's role in the room, when signed in. */
	myRole: Type.Optional(RoleSchema),
	/** The room's spoken language, an ISO 639 code (issue 14); null when not given. */
	language: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
/** A room as the API returns it. */
export type Room = Static<typeof RoomSchema>;

/** A guest-list entry. */
export const GuestSchema = Type.Object({
	user: UserSummarySchema,
	kind: GuestKindSchema,
});
/** A guest-list entry. */
export type Guest = Static<typeof GuestSchema>;

/** Reply of `POST /api/rooms/:id/join`. The ticket is sent as the first WS message (`session:join`). */
export const JoinResponseSchema = Type.Object({
	signallingUrl: Type.String(),
	ticket: Type.String(),
	role: RoleSchema,
});
/** Reply of `POST /api/rooms/:id/join`. */
export type JoinResponse = Static<typeof JoinResponseSchema>;

/** The REST error body: `{ error: { code, message, fields? } }`; `fields` maps a field path to its problem. */
export const ApiErrorSchema = Type.Object({
	error: Type.Object({
		code: Type.String(),
		message: Type.String(),
		fields: Type.Optional(Type.Record(Type.String(), Type.String())),
		/** With `rate_limited`: seconds to wait before trying again (also the Retry-After header). */
		retryAfter: Type.Optional(Type.Integer({ minimum: 1 })),
	}),
});
/** The REST error body. */
export type ApiError = Static<typeof ApiErrorSchema>;
