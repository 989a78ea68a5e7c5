import { type Static, Type } from 'typebox';
import { IdSchema, UserSummarySchema } from './domain.js';

/** Every kind of moderation act the log keeps. */
export const ModerationActionSchema = Type.Union([
	Type.Literal('mute'),
	Type.Literal('muteAll'),
	Type.Literal('moveToListeners'),
	Type.Literal('remove'),
	Type.Literal('ban'),
	Type.Literal('unban'),
	Type.Literal('chatDelete'),
	Type.Literal('chatMute'),
	Type.Literal('chatUnmute'),
	Type.Literal('roleChange'),
	Type.Literal('end'),
]);
/** A kind of moderation act. */
export type ModerationAction = Static<typeof ModerationActionSchema>;

/** Longest reason a moderator gives. */
export const MODERATION_REASON_MAX = 300;

/** An optional reason, as requests carry it. */
export const ReasonSchema = Type.String({ maxLength: MODERATION_REASON_MAX });

/** One entry of a room's moderation log. */
export const ModerationEntrySchema = Type.Object({
	id: IdSchema,
	/** When (ms since epoch). */
	at: Type.Number(),
	action: ModerationActionSchema,
	/** Who did it; null when the system did (an ended room without a host). */
	actor: Type.Union([UserSummarySchema, Type.Null()]),
	/** Whom it was done to; null for room-wide acts (mute all, end). */
	target: Type.Union([UserSummarySchema, Type.Null()]),
	reason: Type.Union([Type.String(), Type.Null()]),
	/** What changed, when the action needs it (a new role). */
	detail: Type.Union([Type.String(), Type.Null()]),
});
/** One entry of a room's moderation log. */
export type ModerationEntry = Static<typeof ModerationEntrySchema>;

/** Requests about moderation (merged into the protocol's `Requests`). */
export const ModerationRequests = {
	/** Host, co-hosts and moderators: the room's moderation log so far, oldest first. */
	'moderation:list': {
		request: Type.Object({}, { additionalProperties: false }),
		reply: Type.Object({ entries: Type.Array(ModerationEntrySchema) }),
	},
} as const;

/** Notifications about moderation (merged into the protocol's `Notifications`). */
export const ModerationNotifications = {
	/** To host, co-hosts and moderators: a moderation act just happened. */
	'moderation:entry': ModerationEntrySchema,
} as const;

/** SFU → API: an act to keep (`POST /api/internal/rooms/:id/moderation`). */
export const InternalModerationEntrySchema = Type.Object(
	{
		id: IdSchema,
		at: Type.Number(),
		action: ModerationActionSchema,
		actorId: Type.Union([IdSchema, Type.Null()]),
		targetId: Type.Union([IdSchema, Type.Null()]),
		reason: Type.Union([ReasonSchema, Type.Null()]),
		detail: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
	},
	{ additionalProperties: false }
);
/** An act the SFU sends to be kept. */
export type InternalModerationEntry = Static<typeof InternalModerationEntrySchema>;

/** A room's moderation log (`GET /api/rooms/:id/moderation-log`, `GET /api/internal/rooms/:id/moderation`). */
export const ModerationLogSchema = Type.Object({ entries: Type.Array(ModerationEntrySchema) });
/** A room's moderation log. */
export type ModerationLog = Static<typeof ModerationLogSchema>;

/** Body of `POST /api/rooms/:id/bans`: ban someone by handle, also after they left. */
export const BanByHandleBodySchema = Type.Object(
	{
		handle: Type.String({ minLength: 1, maxLength: 64 }),
		reason: Type.Optional(ReasonSchema),
		/** Host only: ban them from every scheduled or live room the host has. */
		allMyRooms: Type.Optional(Type.Boolean()),
	},
	{ additionalProperties: false }
);
/** Body of `POST /api/rooms/:id/bans`. */
export type BanByHandleBody = Static<typeof BanByHandleBodySchema>;

/** `GET /api/me/blocks`: the people the caller blocked. */
export const BlockListSchema = Type.Object({ items: Type.Array(UserSummarySchema) });
/** The people the caller blocked. */
export type BlockList = Static<typeof BlockListSchema>;

/** A report of a person (or their chat message) to the room's moderators and the deployment's admins. */
export const ReportSchema = Type.Object({
	id: IdSchema,
	roomId: Type.Union([IdSchema, Type.Null()]),
	reporter: UserSummarySchema,
	target: UserSummarySchema,
	messageId: Type.Union([IdSchema, Type.Null()]),
	/** The reported message's text, when a message was reported and is still stored. */
	messageText: Type.Union([Type.String(), Type.Null()]),
	reason: Type.String(),
	status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
	resolution: Type.Union([Type.String(), Type.Null()]),
	createdAt: Type.String({ format: 'date-time' }),
});
/** A report. */
export type Report = Static<typeof ReportSchema>;

/** Body of `POST /api/reports`. */
export const CreateReportBodySchema = Type.Object(
	{
		userId: IdSchema,
		roomId: Type.Optional(IdSchema),
		messageId: Type.Optional(IdSchema),
		reason: Type.String({ minLength: 1, maxLength: MODERATION_REASON_MAX }),
	},
	{ additionalProperties: false }
);
/** Body of `POST /api/reports`. */
export type CreateReportBody = Static<typeof CreateReportBodySchema>;

/** Body of `POST /api/admin/reports/:id/resolve`: dismiss, or suspend the reported account. */
export const ResolveReportBodySchema = Type.Object(
	{ action: Type.Union([Type.Literal('dismiss'), Type.Literal('suspend')]) },
	{ additionalProperties: false }
);

/** A list of reports (a room's live queue, the admins' global queue). */
export const ReportListSchema = Type.Object({ items: Type.Array(ReportSchema) });

/** Notifications about reports (merged into the protocol's `Notifications`). */
export const ReportNotifications = {
	/** To host, co-hosts and moderators: someone in the room was reported. */
	'report:new': ReportSchema,
} as const;
