import { type Static, Type } from 'typebox';
import { IdSchema, UserSummarySchema } from './domain.js';

/** Where a recording is: capturing, being mixed, playable, playable but cut short, or lost. */
export const RecordingStateSchema = Type.Union([
	Type.Literal('recording'),
	Type.Literal('processing'),
	Type.Literal('ready'),
	Type.Literal('partial'),
	Type.Literal('failed'),
]);
/** Where a recording is. */
export type RecordingState = Static<typeof RecordingStateSchema>;

const Span = Type.Object({
	userId: IdSchema,
	fromMs: Type.Integer(),
	toMs: Type.Union([Type.Integer(), Type.Null()]),
});

/** A recording's timeline (`timelineUrl`): who was on stage, spoke and was muted when, in ms from its start. */
export const RecordingTimelineSchema = Type.Object({
	startedAt: Type.Number(),
	durationMs: Type.Integer(),
	people: Type.Array(UserSummarySchema),
	stage: Type.Array(Span),
	speaking: Type.Array(Span),
	muted: Type.Array(Span),
	events: Type.Array(
		Type.Object({
			atMs: Type.Integer(),
			type: Type.Union([
				Type.Literal('stage:joined'),
				Type.Literal('stage:left'),
				Type.Literal('muted'),
				Type.Literal('unmuted'),
				Type.Literal('gap'),
			]),
			userId: Type.Union([IdSchema, Type.Null()]),
		})
	),
	/** The chat while it was recorded (messages deleted since are left out). */
	chat: Type.Optional(
		Type.Array(
			Type.Object({ atMs: Type.Integer(), messageId: IdSchema, user: UserSummarySchema, text: Type.String() })
		)
	),
});
/** A recording's timeline. */
export type RecordingTimeline = Static<typeof RecordingTimelineSchema>;

/** Reply of `POST /api/internal/rooms/:id/recordings` (SFU → API): the new recording. */
export const InternalRecordingSchema = Type.Object({ id: IdSchema, startedAt: Type.Number() });
/** Body of `POST /api/internal/rooms/:id/recordings`: who starts it. */
export const InternalStartRecordingSchema = Type.Object({ by: IdSchema });

/** Body of `POST /api/internal/recordings/:id/finish` (SFU → API), once every file is uploaded. */
export const InternalFinishRecordingSchema = Type.Object({
	state: Type.Union([Type.Literal('ready'), Type.Literal('partial'), Type.Literal('failed')]),
	durationMs: Type.Integer({ minimum: 0 }),
	tracks: Type.Array(
		Type.Object({
			userId: IdSchema,
			file: Type.String({ maxLength: 100 }),
			durationMs: Type.Integer({ minimum: 0 }),
			firstAudioMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
		})
	),
	timeline: RecordingTimelineSchema,
});
/** Body of `POST /api/internal/recordings/:id/finish`. */
export type InternalFinishRecording = Static<typeof InternalFinishRecordingSchema>;

/** A recording as `GET /api/rooms/:id/recordings` lists it; `tracks` only for the host and co-hosts. */
export const RecordingViewSchema = Type.Object({
	id: IdSchema,
	roomId: IdSchema,
	state: RecordingStateSchema,
	startedAt: Type.String({ format: 'date-time' }),
	durationMs: Type.Union([Type.Integer(), Type.Null()]),
	/** The mix (Ogg/Opus, range requests); null until ready. */
	audioUrl: Type.Union([Type.String(), Type.Null()]),
	timelineUrl: Type.Union([Type.String(), Type.Null()]),
	peaksUrl: Type.Union([Type.String(), Type.Null()]),
	tracks: Type.Optional(Type.Array(Type.Object({ userId: IdSchema, audioUrl: Type.String() }))),
});
/** A recording as the API lists it. */
export type RecordingView = Static<typeof RecordingViewSchema>;

/** Waveform of a mix for the player: the loudest sample (0–255) of each `intervalMs`. */
export const RecordingPeaksSchema = Type.Object({
	intervalMs: Type.Integer(),
	peaks: Type.Array(Type.Integer({ minimum: 0, maximum: 255 })),
});
/** Waveform of a mix. */
export type RecordingPeaks = Static<typeof RecordingPeaksSchema>;

/** `GET /api/rooms/:id/analytics`: an ended room's figures for its host, co-hosts and moderators. */
export const RoomAnalyticsSchema = Type.Object({
	durationMs: Type.Integer(),
	peakListeners: Type.Integer(),
	uniqueListeners: Type.Integer(),
	/** Longest speaking time first; `displayName` as the account reads now (absent once deleted). */
	speakers: Type.Array(
		Type.Object({ userId: IdSchema, speakingMs: Type.Integer(), displayName: Type.Optional(Type.String()) })
	),
	handRaises: Type.Integer(),
	replayPlays: Type.Integer(),
});
/** An ended room's figures. */
export type RoomAnalytics = Static<typeof RoomAnalyticsSchema>;

/**
 * Body of `POST /api/internal/rooms/:id/analytics` (SFU → API) when a room ends: what its origin node
 * counted (people present at once, distinct people, hands raised, speaking time from the audio levels).
 */
export const InternalRoomTallySchema = Type.Object({
	peakListeners: Type.Integer({ minimum: 0 }),
	uniqueListeners: Type.Integer({ minimum: 0 }),
	handRaises: Type.Integer({ minimum: 0 }),
	speakers: Type.Array(Type.Object({ userId: IdSchema, speakingMs: Type.Integer({ minimum: 0 }) }), {
		maxItems: 1000,
	}),
});
/** Body of `POST /api/internal/rooms/:id/analytics`. */
export type InternalRoomTally = Static<typeof InternalRoomTallySchema>;
