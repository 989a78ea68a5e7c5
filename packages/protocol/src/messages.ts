import { type Static, type TSchema, Type } from 'typebox';
import { IdSchema, RoleSchema, SpeakRequestsSchema, UserSummarySchema } from './domain.js';
import { ChatNotifications, ChatRequests } from './chat.js';
import { ErrorCodeSchema } from './errors.js';
import {
	ModerationNotifications,
	ModerationRequests,
	ReasonSchema,
	ReportNotifications,
} from './moderation.js';
import { PinnedLinkNotifications, PinnedLinkRequests } from './pinnedLink.js';
import { QualityNotifications, QualityRequests } from './quality.js';
import { ReactionNotifications, ReactionRequests } from './reactions.js';

// mediasoup parameter objects are validated by mediasoup itself (it throws TypeError on bad shapes);
// here they only have to be JSON objects of bounded size.
const MediaObject = Type.Record(Type.String(), Type.Unknown());
const Empty = Type.Object({}, { additionalProperties: false });
const Target = Type.Object({ userId: IdSchema }, { additionalProperties: false });
// A moderation act on someone; the reason goes to the room's moderation log.
const Moderated = Type.Object(
	{ userId: IdSchema, reason: Type.Optional(ReasonSchema) },
	{ additionalProperties: false }
);

/** Consumers one client may hold at once: a stage voice each (the speaker cap is far below). */
const MAX_CONSUMERS = 64;

/** A paused consumer of one stage voice, for the client to set up and then resume. */
export const ConsumerSchema = Type.Object({
	consumerId: Type.String(),
	producerId: Type.String(),
	userId: IdSchema,
	kind: Type.Literal('audio'),
	rtpParameters: MediaObject,
});
/** A paused consumer of one stage voice. */
export type ConsumerInfo = Static<typeof ConsumerSchema>;

/** A member of the stage as every client sees it. */
export const StageMemberSchema = Type.Object({
	userId: IdSchema,
	handle: Type.String(),
	displayName: Type.String(),
	role: RoleSchema,
	/** Muted by themselves or by a moderator (only the speaker can unmute). */
	muted: Type.Boolean(),
	/** Whether a producer exists (the member's mic is connected). */
	hasAudio: Type.Boolean(),
	/** When they came on stage (ms since epoch); orders the stage. */
	since: Type.Number(),
});
/** A member of the stage. */
export type StageMember = Static<typeof StageMemberSchema>;

/** An entry of the hand-raise queue (seen by host, co-hosts and moderators). */
export const HandSchema = Type.Object({
	user: UserSummarySchema,
	/** When the hand went up (ms since epoch); the queue is FIFO on it. */
	at: Type.Number(),
});
/** An entry of the hand-raise queue. */
export type Hand = Static<typeof HandSchema>;

/** A listener as listed by `listeners:list`. */
export const ListenerSchema = Type.Object({
	...UserSummarySchema.properties,
	role: RoleSchema,
});
/** A listener as listed by `listeners:list`. */
export type Listener = Static<typeof ListenerSchema>;

/** What a client knows about itself in the room. */
export const SelfStateSchema = Type.Object({
	userId: IdSchema,
	role: RoleSchema,
	onStage: Type.Boolean(),
	muted: Type.Boolean(),
	handRaised: Type.Boolean(),
	/** A pending invitation to the stage (from `stage:invite`). */
	invited: Type.Boolean(),
});
/** What a client knows about itself in the room. */
export type SelfState = Static<typeof SelfStateSchema>;

/** Room settings the live room needs. */
export const LiveRoomInfoSchema = Type.Object({
	id: IdSchema,
	title: Type.String(),
	speakRequests: SpeakRequestsSchema,
	maxSpeakers: Type.Integer(),
});
/** Room settings the live room needs. */
export type LiveRoomInfo = Static<typeof LiveRoomInfoSchema>;

/** A recording running in a live room. */
export const RecordingStatusSchema = Type.Object({
	id: IdSchema,
	/** When it started (ms since epoch). */
	startedAt: Type.Number(),
});
/** A recording running in a live room. */
export type RecordingStatus = Static<typeof RecordingStatusSchema>;

/** The full state a client gets after joining; deltas follow in order (`seq`). */
export const SnapshotSchema = Type.Object({
	room: LiveRoomInfoSchema,
	self: SelfStateSchema,
	stage: Type.Array(StageMemberSchema),
	listenerCount: Type.Integer(),
	/** Present only for those who may moderate. */
	hands: Type.Optional(Type.Array(HandSchema)),
	/** Set while the host is disconnected: when the grace period ends (ms since epoch). */
	hostAwayUntil: Type.Union([Type.Number(), Type.Null()]),
	/** The recording running now, if any (everyone sees that the room is recorded). */
	recording: Type.Optional(Type.Union([RecordingStatusSchema, Type.Null()])),
	/** Sequence number of the last delta included; the next notification has seq + 1. */
	seq: Type.Integer(),
});
/** The full state a client gets after joining. */
export type Snapshot = Static<typeof SnapshotSchema>;

/** Transport parameters for mediasoup-client's `createSendTransport`/`createRecvTransport`. */
export const TransportInfoSchema = Type.Object({
	id: Type.String(),
	iceParameters: MediaObject,
	iceCandidates: Type.Array(MediaObject),
	dtlsParameters: MediaObject,
});
/** Transport parameters for mediasoup-client. */
export type TransportInfo = Static<typeof TransportInfoSchema>;

/** Every client → server request: `type` → schemas of `data` and of the reply's `data`. */
export const Requests = {
	/** First message on a socket: authenticates with the API's join ticket. */
	'session:join': {
		request: Type.Object(
			{
				ticket: Type.String({ maxLength: 4096 }),
				protocolVersion: Type.Integer(),
				/** The room the client means to join; a ticket for another room is refused. */
				roomId: Type.Optional(IdSchema),
			},
			{ additionalProperties: false }
		),
		reply: Type.Object({ routerRtpCapabilities: MediaObject, snapshot: SnapshotSchema }),
	},
	/** Create a WebRTC transport; `send` only for stage members allowed to speak. */
	'transport:create': {
		request: Type.Object(
			{ direction: Type.Union([Type.Literal('send'), Type.Literal('recv')]) },
			{ additionalProperties: false }
		),
		reply: TransportInfoSchema,
	},
	/** DTLS parameters from mediasoup-client's transport `connect` event. */
	'transport:connect': {
		request: Type.Object(
			{ transportId: Type.String({ maxLength: 64 }), dtlsParameters: MediaObject },
			{ additionalProperties: false }
		),
		reply: Empty,
	},
	/** New ICE parameters after a network change. */
	'transport:restartIce': {
		request: Type.Object({ transportId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
		reply: Type.Object({ iceParameters: MediaObject }),
	},
	/**
	 * Start receiving: the server creates a paused consumer per stage voice. With `batch`, they come back in
	 * the reply (the client sets the whole stage up in one renegotiation and acknowledges them with one
	 * `consumers:resume`); without, as one `consumer:new` each. Voices that arrive later always come as
	 * `consumer:new`.
	 */
	'consume:start': {
		request: Type.Object(
			{ rtpCapabilities: MediaObject, batch: Type.Optional(Type.Boolean()) },
			{ additionalProperties: false }
		),
		reply: Type.Object({ consumers: Type.Optional(Type.Array(ConsumerSchema, { maxItems: MAX_CONSUMERS })) }),
	},
	/** Acknowledges a `consumer:new`: the client is ready, so the server resumes the consumer. */
	'consumer:resume': {
		request: Type.Object({ consumerId: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
		reply: Empty,
	},
	/** Acknowledges the consumers of a batched `consume:start` at once (all must exist). */
	'consumers:resume': {
		request: Type.Object(
			{
				consumerIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: MAX_CONSUMERS }),
			},
			{ additionalProperties: false }
		),
		reply: Empty,
	},
	/** Send the microphone: Opus audio only. */
	produce: {
		request: Type.Object(
			{
				transportId: Type.String({ maxLength: 64 }),
				kind: Type.String({ maxLength: 16 }),
				rtpParameters: MediaObject,
			},
			{ additionalProperties: false }
		),
		reply: Type.Object({ producerId: Type.String() }),
	},
	/** Mute oneself (pauses the producer on the server). */
	'mic:mute': { request: Empty, reply: Empty },
	/** Unmute oneself; refused to anyone not on stage. */
	'mic:unmute': { request: Empty, reply: Empty },
	/** Request to speak, subject to the room's `speakRequests`. */
	'hand:raise': { request: Empty, reply: Empty },
	/** Withdraw a request to speak. */
	'hand:lower': { request: Empty, reply: Empty },
	/** Moderators: invite a user (who raised a hand or not) to the stage. */
	'stage:invite': { request: Target, reply: Empty },
	/** Accept a stage invitation (or come up directly as a speaker guest); joins the stage muted. */
	'stage:accept': { request: Empty, reply: Empty },
	/** Decline a stage invitation. */
	'stage:decline': { request: Empty, reply: Empty },
	/** Moderators: move someone to listeners; anyone: move oneself (omit userId or pass one's own). */
	'stage:remove': {
		request: Type.Object(
			{ userId: Type.Optional(IdSchema), reason: Type.Optional(ReasonSchema) },
			{ additionalProperties: false }
		),
		reply: Empty,
	},
	/** Moderators: mute a stage member (only they can unmute). */
	'speaker:mute': { request: Moderated, reply: Empty },
	/** Moderators: mute every stage member but oneself. */
	'speaker:muteAll': { request: Empty, reply: Empty },
	/** Moderators: remove a user from the room and ban them from it. */
	'peer:remove': { request: Moderated, reply: Empty },
	/** A page of the people in the room who are not on stage. */
	'listeners:list': {
		request: Type.Object(
			{
				offset: Type.Optional(Type.Integer({ minimum: 0 })),
				limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
			},
			{ additionalProperties: false }
		),
		reply: Type.Object({ items: Type.Array(ListenerSchema), total: Type.Integer() }),
	},
	/** Host: end the room for everyone. */
	'room:end': { request: Empty, reply: Empty },
	/** Host and co-hosts: start recording the stage (the room must be scheduled with recording on). */
	'recording:start': { request: Empty, reply: RecordingStatusSchema },
	/** Host and co-hosts: stop the recording (it is then mixed and becomes the replay). */
	'recording:stop': { request: Empty, reply: Empty },
	/** Leave the room (the socket closes after the reply). */
	'session:leave': { request: Empty, reply: Empty },
	/**
	 * Load generator only (the SFU refuses it unless started with `allowPlainTransports`): a plain RTP
	 * transport instead of WebRTC. `recv`: the SFU sends (S)RTP to `remote`; `send`: the SFU learns the
	 * sender's address from its first packet (comedia). `srtp` is the client's SRTP key for what it sends;
	 * the reply's `srtpParameters` is the SFU's key for what it sends. Consumers and producers then go
	 * through `consume:start`, `consumer:resume` and `produce` as for WebRTC.
	 */
	'plain:create': {
		request: Type.Object(
			{
				direction: Type.Union([Type.Literal('send'), Type.Literal('recv')]),
				remote: Type.Optional(
					Type.Object(
						{ ip: Type.String({ maxLength: 64 }), port: Type.Integer({ minimum: 1, maximum: 65535 }) },
						{ additionalProperties: false }
					)
				),
				srtp: Type.Optional(
					Type.Object(
						{ cryptoSuite: Type.String({ maxLength: 32 }), keyBase64: Type.String({ maxLength: 128 }) },
						{ additionalProperties: false }
					)
				),
			},
			{ additionalProperties: false }
		),
		reply: Type.Object({
			transportId: Type.String(),
			local: Type.Object({ ip: Type.String(), port: Type.Integer() }),
			srtpParameters: Type.Optional(Type.Object({ cryptoSuite: Type.String(), keyBase64: Type.String() })),
		}),
	},
	...ReactionRequests,
	...ChatRequests,
	...ModerationRequests,
	...PinnedLinkRequests,
	...QualityRequests,
} as const satisfies Record<string, { request: TSchema; reply: TSchema }>;

/** Names of client → server requests. */
export type RequestType = keyof typeof Requests;
/** `data` of request `T`. */
export type RequestData<T extends RequestType> = Static<(typeof Requests)[T]['request']>;
/** `data` of the successful reply to request `T`. */
export type ReplyData<T extends RequestType> = Static<(typeof Requests)[T]['reply']>;

/** Every server → client notification: `type` → schema of `data`. */
export const Notifications = {
	/** Someone came on stage or their stage state (role, mute, audio) changed. */
	'stage:member': StageMemberSchema,
	/** Someone left the stage (moved to listeners, or left the room). */
	'stage:left': Type.Object({ userId: IdSchema }),
	/** Throttled speaking indicator: who is speaking now, loudest first. */
	'stage:speaking': Type.Object({ userIds: Type.Array(IdSchema) }),
	/** The listener count changed (throttled). */
	'listeners:count': Type.Object({ count: Type.Integer() }),
	/** To moderators: a hand went up. */
	'hand:raised': HandSchema,
	/** To moderators: a hand went down (lowered, accepted, or the user left). */
	'hand:lowered': Type.Object({ userId: IdSchema }),
	/** To the receiving client: its own state changed (role, stage, mute, hand, invitation). */
	'self:state': SelfStateSchema,
	/** To the invited user: an invitation to the stage. */
	'stage:invited': Type.Object({ by: UserSummarySchema }),
	/** A user was muted by a moderator (to everyone; the muted user learns it through `self:state` too). */
	'speaker:muted': Type.Object({ userId: IdSchema, by: IdSchema }),
	/** A paused consumer to set up; answer with `consumer:resume`. */
	'consumer:new': ConsumerSchema,
	/** A consumer is gone (its producer closed). */
	'consumer:closed': Type.Object({ consumerId: Type.String() }),
	/** Room settings changed through the API. */
	'room:updated': LiveRoomInfoSchema,
	/** The host disconnected; they have until `until` (ms since epoch) to come back. */
	'host:away': Type.Object({ until: Type.Number() }),
	/** The host is back, or a co-host took over (`userId` is the host now). */
	'host:changed': Type.Object({ userId: IdSchema }),
	/** A recording started (`recording` set) or stopped (`recording` null); `by` who did it, if anyone. */
	'recording:state': Type.Object({
		recording: Type.Union([RecordingStatusSchema, Type.Null()]),
		by: Type.Union([IdSchema, Type.Null()]),
	}),
	/** The room ended; the socket closes next. */
	'room:ended': Type.Object({
		reason: Type.Union([Type.Literal('host'), Type.Literal('no-host'), Type.Literal('api')]),
	}),
	/** This session is being closed; `reason` says why (replaced, removed, moving). */
	'session:closing': Type.Object({
		reason: Type.Union([
			Type.Literal('replaced'),
			Type.Literal('removed'),
			Type.Literal('moving'),
			Type.Literal('shutdown'),
		]),
	}),
	...ReactionNotifications,
	...ChatNotifications,
	...ModerationNotifications,
	...ReportNotifications,
	...PinnedLinkNotifications,
	...QualityNotifications,
} as const satisfies Record<string, TSchema>;

/** Names of server → client notifications. */
export type NotificationType = keyof typeof Notifications;
/** `data` of notification `T`. */
export type NotificationData<T extends NotificationType> = Static<(typeof Notifications)[T]>;

/** The wire error object. */
export const WireErrorSchema = Type.Object({ code: ErrorCodeSchema, message: Type.String() });
/** The wire error object. */
export type WireError = Static<typeof WireErrorSchema>;

/** The envelope every client frame must match before its `data` is checked against {@link Requests}. */
export const ClientEnvelopeSchema = Type.Object(
	{
		id: Type.Integer({ minimum: 0, maximum: 4294967295 }),
		type: Type.String({ maxLength: 64 }),
		data: Type.Optional(Type.Unknown()),
	},
	{ additionalProperties: false }
);

/** A client → server request frame. */
export type ClientRequest<T extends RequestType = RequestType> = {
	id: number;
	type: T;
	data: RequestData<T>;
};

/** A server → client reply frame. */
export type ServerReply<T extends RequestType = RequestType> =
	| { id: number; ok: true; data: ReplyData<T> }
	| { id: number; ok: false; error: WireError };

/** A server → client notification frame (no id; `seq` orders room deltas per session). */
export type ServerNotification<T extends NotificationType = NotificationType> = {
	type: T;
	seq: number;
	data: NotificationData<T>;
};

/** Any server → client frame. */
export type ServerFrame = ServerReply | ServerNotification;
