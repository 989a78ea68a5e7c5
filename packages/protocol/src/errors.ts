import { Type } from 'typebox';

/** The closed set of error codes that cross the wire (WS replies and REST `error.code`). */
export const ErrorCode = {
	BadRequest: 'bad_request',
	Unauthorized: 'unauthorized',
	TicketExpired: 'ticket_expired',
	/** Trust (issue #19): a join ticket used a second time; fetch a new one. */
	TicketUsed: 'ticket_used',
	Forbidden: 'forbidden',
	NotFound: 'not_found',
	Conflict: 'conflict',
	InvalidState: 'invalid_state',
	StageFull: 'stage_full',
	Banned: 'banned',
	RoomEnded: 'room_ended',
	RateLimited: 'rate_limited',
	LimitReached: 'limit_reached',
	TooLarge: 'too_large',
	Unsupported: 'unsupported',
	ProtocolVersion: 'protocol_version',
	Unavailable: 'unavailable',
	Internal: 'internal',
	/** Reach (issue 14): an anonymous listener asked for something that needs an account. */
	AccountRequired: 'account_required',
} as const;
/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** TypeBox schema of an {@link ErrorCode}. */
export const ErrorCodeSchema = Type.Enum(ErrorCode);

/** WebSocket close codes the server uses (4000–4999 is the application range). */
export const CloseCode = {
	/** Another connection of the same user took over this session. */
	Replaced: 4000,
	/** Ticket missing, forged, expired or for another room. */
	Unauthorized: 4001,
	/** The user was removed (banned) from the room. */
	Removed: 4003,
	/** The room ended. */
	RoomEnded: 4004,
	/** Too many messages or a protocol violation after warnings. */
	PolicyViolation: 4008,
	/** The client speaks another protocol version. */
	ProtocolVersion: 4010,
	/** The server is shutting down or moving the room; reconnect through the API. */
	Moving: 4012,
} as const;
/** One of {@link CloseCode}'s values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
