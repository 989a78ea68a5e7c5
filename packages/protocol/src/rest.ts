import { type Static, type TString, Type } from 'typebox';
import {
	ChatModeSchema,
	GuestKindSchema,
	RoomSchema,
	RoomStateSchema,
	SpeakRequestsSchema,
	UserSchema,
	VisibilitySchema,
} from './domain.js';

// The REST API's bodies and their limits, defined once: the API validates with these schemas and
// words its rules from these limits, and the web's forms check the same limits before sending.

/** Limits of a room's settings and lists. */
export const ROOM_LIMITS = {
	/** Title length, after trimming. */
	title: { min: 1, max: 100 },
	/** Description length. */
	description: { max: 1000 },
	/** Length of one topic, after trimming. */
	topic: { min: 1, max: 30 },
	/** Most topics a room may have. */
	topics: 3,
	/** Stage size, counting host and co-hosts; the default is X Spaces'. */
	speakers: { min: 1, max: 50, default: 13 },
	/** Most co-hosts a room may have (as on X Spaces). */
	cohosts: 2,
} as const;

/** Limits of an account's fields. */
export const USER_LIMITS = {
	/** Handle length; see {@link HANDLE_PATTERN}. */
	handle: { min: 3, max: 30 },
	/** Display name length, after trimming. */
	displayName: { min: 1, max: 50 },
	/** Password length; the upper bound keeps hashing cheap. */
	password: { min: 8, max: 1024 },
} as const;

/** Characters a handle may contain: a-z, 0-9 and _ (case is kept but not significant). */
export const HANDLE_PATTERN = '^[A-Za-z0-9_]+$';

const handleRegExp = new RegExp(`^[A-Za-z0-9_]{${USER_LIMITS.handle.min},${USER_LIMITS.handle.max}}$`);

/** Whether `text` is a handle as chosen at signup (its characters and its length). */
export function isHandle(text: string): boolean {
	return handleRegExp.test(text);
}

/**
 * Schema annotation with the message to show when `pattern` fails (JSON Schema has no such keyword;
 * OpenAPI keeps `x-` keys as extensions).
 */
export const ERROR_MESSAGE_KEYWORD = 'x-error';

/**
 * A single line of text: no control characters (Postgres refuses NUL, and a title has no use for
 * newlines). Blank-after-trim is checked by the API's rules.
 */
export function lineSchema(minLength: number, maxLength: number, description?: string): TString {
	return Type.String({
		minLength,
		maxLength,
		pattern: '^[^\\u0000-\\u001f\\u007f]*$',
		[ERROR_MESSAGE_KEYWORD]: 'must not contain control characters',
		...(description ? { description } : {}),
	});
}

/** Multi-line text: newlines and tabs are fine, NUL is not (Postgres refuses it). */
export function textSchema(maxLength: number, description?: string): TString {
	return Type.String({
		maxLength,
		pattern: '^[^\\u0000]*$',
		[ERROR_MESSAGE_KEYWORD]: 'must not contain NUL characters',
		...(description ? { description } : {}),
	});
}

const TitleSchema = lineSchema(ROOM_LIMITS.title.min, ROOM_LIMITS.title.max);
const DescriptionSchema = textSchema(ROOM_LIMITS.description.max);
const TopicSchema = lineSchema(ROOM_LIMITS.topic.min, ROOM_LIMITS.topic.max);
const TopicsSchema = Type.Array(TopicSchema, { maxItems: ROOM_LIMITS.topics });
const MaxSpeakersSchema = Type.Integer({
	minimum: ROOM_LIMITS.speakers.min,
	maximum: ROOM_LIMITS.speakers.max,
	description: 'stage size counting host and co-hosts',
});
/** A room's language: an ISO 639-1 (or -2) code in lower case, e.g. `ar`, `en` (issue 14). */
export const LanguageSchema = Type.String({
	minLength: 2,
	maxLength: 3,
	pattern: '^[a-z]{2,3}$',
	[ERROR_MESSAGE_KEYWORD]: 'must be a language code such as ar or en',
});
const ScheduledForSchema = Type.String({
	format: 'date-time',
	description: 'planned start; must be in the future',
});

/** Body of `POST /api/rooms`. */
export const CreateRoomBodySchema = Type.Object({
	title: TitleSchema,
	description: Type.Optional(DescriptionSchema),
	topics: Type.Optional(TopicsSchema),
	scheduledFor: Type.Optional(Type.Union([ScheduledForSchema, Type.Null()])),
	visibility: VisibilitySchema,
	speakRequests: Type.Optional(SpeakRequestsSchema),
	maxSpeakers: Type.Optional(MaxSpeakersSchema),
	chat: Type.Optional(ChatModeSchema),
	language: Type.Optional(Type.Union([LanguageSchema, Type.Null()])),
});
/** Body of `POST /api/rooms`. */
export type CreateRoomBody = Static<typeof CreateRoomBodySchema>;

/** Body of `PATCH /api/rooms/:id`: any subset of the settings; `scheduledFor: null` clears it. */
export const UpdateRoomBodySchema = Type.Object({
	title: Type.Optional(TitleSchema),
	description: Type.Optional(DescriptionSchema),
	topics: Type.Optional(TopicsSchema),
	scheduledFor: Type.Optional(Type.Union([ScheduledForSchema, Type.Null()])),
	visibility: Type.Optional(VisibilitySchema),
	speakRequests: Type.Optional(SpeakRequestsSchema),
	maxSpeakers: Type.Optional(MaxSpeakersSchema),
	chat: Type.Optional(ChatModeSchema),
	language: Type.Optional(Type.Union([LanguageSchema, Type.Null()])),
});
/** Body of `PATCH /api/rooms/:id`. */
export type UpdateRoomBody = Static<typeof UpdateRoomBodySchema>;

/** Rooms per page of `GET /api/rooms`, by default and at most. */
export const PAGE_SIZE = { default: 20, max: 50 } as const;

/** Querystring of `GET /api/rooms`. */
export const ListRoomsQuerySchema = Type.Object({
	state: Type.Optional(RoomStateSchema),
	topic: Type.Optional(TopicSchema),
	host: Type.Optional(lineSchema(1, USER_LIMITS.handle.max, 'host handle')),
	q: Type.Optional(
		lineSchema(
			1,
			ROOM_LIMITS.title.max,
			'words (or their beginnings) in the title, description, topics or host name; Arabic letter forms and tashkeel are ignored'
		)
	),
	language: Type.Optional(LanguageSchema),
	cursor: Type.Optional(
		Type.String({ minLength: 1, maxLength: 512, description: 'nextCursor of the previous page' })
	),
	limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
});
/** Querystring of `GET /api/rooms`. */
export type ListRoomsQuery = Static<typeof ListRoomsQuerySchema>;

/** Reply of `GET /api/rooms`. */
export const RoomPageSchema = Type.Object({
	items: Type.Array(RoomSchema),
	/** Pass as `cursor` for the next page; null on the last page. */
	nextCursor: Type.Union([Type.String(), Type.Null()]),
});
/** Reply of `GET /api/rooms`. */
export type RoomPage = Static<typeof RoomPageSchema>;

/** Body of `PUT /api/rooms/:id/guests/:userId`. */
export const PutGuestBodySchema = Type.Object({ kind: GuestKindSchema });

/** A handle as chosen at signup: 3–30 of a-z, 0-9 and _ (case is kept but not significant). */
export const HandleSchema = Type.String({
	minLength: USER_LIMITS.handle.min,
	maxLength: USER_LIMITS.handle.max,
	pattern: HANDLE_PATTERN,
	[ERROR_MESSAGE_KEYWORD]: 'must contain only a-z, 0-9 and _',
	description: `${USER_LIMITS.handle.min}–${USER_LIMITS.handle.max} of a-z, 0-9 and _; unique regardless of case`,
});

/** Body of `POST /api/auth/signup`. */
export const SignupBodySchema = Type.Object({
	handle: HandleSchema,
	displayName: lineSchema(USER_LIMITS.displayName.min, USER_LIMITS.displayName.max),
	password: Type.String({ minLength: USER_LIMITS.password.min, maxLength: USER_LIMITS.password.max }),
});
/** Body of `POST /api/auth/signup`. */
export type SignupBody = Static<typeof SignupBodySchema>;

/** Body of `POST /api/auth/login`; loose on purpose, so a malformed handle looks like an unknown one. */
export const LoginBodySchema = Type.Object({
	handle: Type.String({ minLength: 1, maxLength: 64 }),
	password: Type.String({ minLength: 1, maxLength: USER_LIMITS.password.max }),
});
/** Body of `POST /api/auth/login`. */
export type LoginBody = Static<typeof LoginBodySchema>;

/** Reply of signup and login. */
export const SessionSchema = Type.Object({
	user: UserSchema,
	/** Bearer JWT for `Authorization: Bearer …`. */
	token: Type.String(),
});
/** Reply of signup and login. */
export type Session = Static<typeof SessionSchema>;
