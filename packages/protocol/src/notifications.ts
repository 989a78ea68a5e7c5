import { type Static, Type } from 'typebox';
import { IdSchema, RoomStateSchema, UserSummarySchema } from './domain.js';

/**
 * What a person is told about: a room they asked to be reminded of starts; someone they follow schedules
 * or starts a room; they were made co-host, moderator or guest; a replay is ready.
 */
export const NotificationKindSchema = Type.Union([
	Type.Literal('reminder'),
	Type.Literal('followScheduled'),
	Type.Literal('followLive'),
	Type.Literal('cohost'),
	Type.Literal('moderator'),
	Type.Literal('guest'),
	Type.Literal('replay'),
]);
/** One of {@link NotificationKindSchema}'s values. */
export type NotificationKind = Static<typeof NotificationKindSchema>;
/** Every notification kind, in the order settings list them. */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
	'reminder',
	'followScheduled',
	'followLive',
	'cohost',
	'moderator',
	'guest',
	'replay',
];

/** The room a notification is about, as it is now. */
export const NotificationRoomSchema = Type.Object({
	id: IdSchema,
	title: Type.String(),
	state: RoomStateSchema,
	scheduledFor: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** One item of the notification centre. */
export const NotificationSchema = Type.Object({
	id: IdSchema,
	kind: NotificationKindSchema,
	room: Type.Union([NotificationRoomSchema, Type.Null()]),
	/** Who did it (the host who scheduled or started, who appointed); null when gone. */
	actor: Type.Union([UserSummarySchema, Type.Null()]),
	createdAt: Type.String({ format: 'date-time' }),
	read: Type.Boolean(),
});
/** One item of the notification centre. */
export type Notification = Static<typeof NotificationSchema>;

/** Reply of `GET /api/me/notifications`: the newest items and how many are unread. */
export const NotificationListSchema = Type.Object({
	items: Type.Array(NotificationSchema),
	unread: Type.Integer({ minimum: 0 }),
});
/** Reply of `GET /api/me/notifications`. */
export type NotificationList = Static<typeof NotificationListSchema>;

/** Whether a kind reaches the notification centre and Web Push. */
export const NotificationPreferenceSchema = Type.Object({
	kind: NotificationKindSchema,
	inApp: Type.Boolean(),
	push: Type.Boolean(),
});
/** Whether a kind reaches the notification centre and Web Push. */
export type NotificationPreference = Static<typeof NotificationPreferenceSchema>;
/** Body and reply of `/api/me/notification-preferences`: one entry per kind. */
export const NotificationPreferencesSchema = Type.Array(NotificationPreferenceSchema, { maxItems: 7 });

/** Body of `POST /api/me/push-subscriptions`: a browser's `PushSubscription.toJSON()`. */
export const PushSubscriptionBodySchema = Type.Object({
	endpoint: Type.String({ minLength: 1, maxLength: 2048, description: 'push service URL (https)' }),
	keys: Type.Object({
		p256dh: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+=*$' }),
		auth: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+=*$' }),
	}),
});
/** Body of `POST /api/me/push-subscriptions`. */
export type PushSubscriptionBody = Static<typeof PushSubscriptionBodySchema>;

/** The JSON a Web Push message carries (encrypted, RFC 8291) to the service worker. */
export const PushPayloadSchema = Type.Object({
	id: IdSchema,
	kind: NotificationKindSchema,
	roomId: Type.Union([IdSchema, Type.Null()]),
	roomTitle: Type.String(),
	actorName: Type.String(),
	/** Path the notification opens (`/rooms/:id`). */
	url: Type.String(),
});
/** The JSON a Web Push message carries. */
export type PushPayload = Static<typeof PushPayloadSchema>;

/** Reply of `/api/rooms/:id/reminder`: whether the caller asked; the count for the room's staff only. */
export const ReminderStateSchema = Type.Object({
	reminded: Type.Boolean(),
	count: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});
/** Reply of `/api/rooms/:id/reminder`. */
export type ReminderState = Static<typeof ReminderStateSchema>;

/** Reply of the calendar feed routes: the secret URL of the caller's personal feed. */
export const CalendarFeedSchema = Type.Object({ url: Type.String() });

/** Bus channel carrying notification-centre changes to every API node's open streams. */
export const NOTIFICATIONS_CHANNEL = 'majlis:notifications';

/** What the per-user stream (`GET /api/me/notifications/stream`, SSE) sends, as each event's data. */
export type NotificationStreamMessage =
	| { type: 'notification'; notification: Notification; unread: number }
	| { type: 'unread'; unread: number };

/** A stream message on the bus, addressed to its user. */
export type NotificationStreamEvent = NotificationStreamMessage & { userId: string };

/** Body of `PUT /api/rooms/:id/series`: repeat every N days (7: weekly), until a date or N occurrences. */
export const SeriesBodySchema = Type.Object(
	{
		everyDays: Type.Integer({ minimum: 1, maximum: 365, description: '7 for weekly' }),
		until: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
		count: Type.Optional(Type.Union([Type.Integer({ minimum: 2, maximum: 100 }), Type.Null()])),
	},
	{ additionalProperties: false }
);
/** Body of `PUT /api/rooms/:id/series`. */
export type SeriesBody = Static<typeof SeriesBodySchema>;

/** One occurrence of a series. */
export const SeriesOccurrenceSchema = Type.Object({
	id: IdSchema,
	index: Type.Integer({ minimum: 1 }),
	title: Type.String(),
	state: RoomStateSchema,
	scheduledFor: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** A series and its occurrences so far (the next one always exists while the series goes on). */
export const SeriesSchema = Type.Object({
	id: IdSchema,
	everyDays: Type.Integer(),
	until: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
	count: Type.Union([Type.Integer(), Type.Null()]),
	occurrences: Type.Array(SeriesOccurrenceSchema),
});
/** A series and its occurrences. */
export type Series = Static<typeof SeriesSchema>;
