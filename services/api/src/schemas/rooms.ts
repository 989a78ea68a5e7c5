import {
	GuestKindSchema,
	GuestSchema,
	RoomSchema,
	RoomStateSchema,
	SpeakRequestsSchema,
	VisibilitySchema,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { lineSchema, textSchema } from './common.js';

/** Most topics a room may have. */
export const MAX_TOPICS = 3;
/** Default stage size, counting host and co-hosts (as on X Spaces). */
export const DEFAULT_MAX_SPEAKERS = 13;
/** Rooms per page by default and at most. */
export const PAGE_SIZE = { default: 20, max: 50 } as const;

const TitleSchema = lineSchema(1, 100);
const DescriptionSchema = textSchema(1000);
const TopicsSchema = Type.Array(lineSchema(1, 30), { maxItems: MAX_TOPICS });
const MaxSpeakersSchema = Type.Integer({
	minimum: 1,
	maximum: 50,
	description: 'stage size counting host and co-hosts',
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
});

/** Body of `PATCH /api/rooms/:id`: any subset of the settings; `scheduledFor: null` clears it. */
export const UpdateRoomBodySchema = Type.Object({
	title: Type.Optional(TitleSchema),
	description: Type.Optional(DescriptionSchema),
	topics: Type.Optional(TopicsSchema),
	scheduledFor: Type.Optional(Type.Union([ScheduledForSchema, Type.Null()])),
	visibility: Type.Optional(VisibilitySchema),
	speakRequests: Type.Optional(SpeakRequestsSchema),
	maxSpeakers: Type.Optional(MaxSpeakersSchema),
});

/** Querystring of `GET /api/rooms`. */
export const ListRoomsQuerySchema = Type.Object({
	state: Type.Optional(RoomStateSchema),
	topic: Type.Optional(lineSchema(1, 30)),
	host: Type.Optional(lineSchema(1, 30, 'host handle')),
	q: Type.Optional(lineSchema(1, 100, 'text in title or description (case-insensitive)')),
	cursor: Type.Optional(
		Type.String({ minLength: 1, maxLength: 512, description: 'nextCursor of the previous page' })
	),
	limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE.max, default: PAGE_SIZE.default })),
});

/** Reply of `GET /api/rooms`. */
export const RoomPageSchema = Type.Object({
	items: Type.Array(RoomSchema),
	/** Pass as `cursor` for the next page; null on the last page. */
	nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Body of `PUT /api/rooms/:id/guests/:userId`. */
export const PutGuestBodySchema = Type.Object({ kind: GuestKindSchema });

/** Reply of `GET /api/rooms/:id/guests`. */
export const GuestListSchema = Type.Array(GuestSchema);
