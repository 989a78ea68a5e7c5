import { type Static, Type } from 'typebox';
import { ChatModeSchema, IdSchema, UserSummarySchema } from './domain.js';
import { ReasonSchema } from './moderation.js';

export { type ChatMode, ChatModeSchema } from './domain.js';

/** Chat limits shared by the server (which enforces them) and the web client (which shows them). */
export const CHAT_LIMITS = {
	/** Characters (code points) in one message. */
	maxLength: 500,
	/** Messages a late joiner receives. */
	history: 200,
	/** Longest slow mode, in seconds. */
	maxSlowModeSeconds: 600,
} as const;

/** One chat message as clients see it. */
export const ChatMessageSchema = Type.Object({
	id: IdSchema,
	user: UserSummarySchema,
	text: Type.String(),
	/** When it was sent (ms since epoch). */
	at: Type.Number(),
});
/** One chat message. */
export type ChatMessage = Static<typeof ChatMessageSchema>;

/** The chat settings of a live room. */
export const ChatSettingsSchema = Type.Object({
	mode: ChatModeSchema,
	/** Seconds a person waits between two messages; 0 is off. */
	slowModeSeconds: Type.Integer({ minimum: 0 }),
});
/** The chat settings of a live room. */
export type ChatSettings = Static<typeof ChatSettingsSchema>;

const Empty = Type.Object({}, { additionalProperties: false });

/** Requests about chat (merged into the protocol's `Requests`). */
export const ChatRequests = {
	/** The settings, the last messages (up to {@link CHAT_LIMITS}.history) and whether one is muted in chat. */
	'chat:history': {
		request: Empty,
		reply: Type.Object({
			settings: ChatSettingsSchema,
			messages: Type.Array(ChatMessageSchema),
			muted: Type.Boolean(),
		}),
	},
	/** Send a message; the server checks length, slow mode, mutes and the word filter. */
	'chat:send': {
		// The frame may carry more than the limit so that the server refuses it with a clear error.
		request: Type.Object({ text: Type.String({ maxLength: 4000 }) }, { additionalProperties: false }),
		reply: ChatMessageSchema,
	},
	/** Moderators: delete a message for everyone. */
	'chat:delete': {
		request: Type.Object(
			{ messageId: IdSchema, reason: Type.Optional(ReasonSchema) },
			{ additionalProperties: false }
		),
		reply: Empty,
	},
	/** Moderators: mute or unmute someone in chat (they still listen). */
	'chat:mute': {
		request: Type.Object(
			{ userId: IdSchema, muted: Type.Boolean(), reason: Type.Optional(ReasonSchema) },
			{ additionalProperties: false }
		),
		reply: Empty,
	},
	/** Moderators: set slow mode live (seconds between messages per person; 0 turns it off). */
	'chat:slowMode': {
		request: Type.Object(
			{ seconds: Type.Integer({ minimum: 0, maximum: CHAT_LIMITS.maxSlowModeSeconds }) },
			{ additionalProperties: false }
		),
		reply: Empty,
	},
} as const;

/** Notifications about chat (merged into the protocol's `Notifications`). */
export const ChatNotifications = {
	/** A new message. */
	'chat:message': ChatMessageSchema,
	/** A moderator deleted a message. */
	'chat:deleted': Type.Object({ messageId: IdSchema, by: IdSchema }),
	/** The chat settings changed (slow mode). */
	'chat:settings': ChatSettingsSchema,
	/** To the person concerned: a moderator muted or unmuted them in chat. */
	'chat:muted': Type.Object({ muted: Type.Boolean(), by: IdSchema }),
} as const;

/** API → SFU: a room's chat mode and its last messages, oldest first (`GET /api/internal/rooms/:id/chat`). */
export const InternalChatHistorySchema = Type.Object({
	mode: ChatModeSchema,
	messages: Type.Array(ChatMessageSchema),
});
/** A room's chat mode and last messages. */
export type InternalChatHistory = Static<typeof InternalChatHistorySchema>;

/** SFU → API: a message to store (`POST /api/internal/rooms/:id/chat`). */
export const InternalChatMessageSchema = Type.Object(
	{
		id: IdSchema,
		userId: IdSchema,
		text: Type.String({ maxLength: 4 * CHAT_LIMITS.maxLength }),
		at: Type.Number(),
	},
	{ additionalProperties: false }
);

/** SFU → API: who deleted a message (`POST /api/internal/rooms/:id/chat/:messageId/delete`). */
export const InternalChatDeleteSchema = Type.Object({ by: IdSchema }, { additionalProperties: false });
