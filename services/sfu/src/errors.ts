import { ErrorCode, type WireError } from '@majlis/protocol';
import { TokenError } from '@majlis/server-kit';

/** Base of the errors a request may fail with on purpose; `code` crosses the wire as is. */
export class SfuError extends Error {
	/** The wire error code. */
	readonly code: ErrorCode;

	/** Creates an error with its wire code. */
	constructor(code: ErrorCode, message: string) {
		super(message);
		this.name = 'SfuError';
		this.code = code;
	}
}

/** The frame or its parameters are malformed. */
export class BadRequestError extends SfuError {
	/** Creates a bad_request error. */
	constructor(message: string) {
		super(ErrorCode.BadRequest, message);
		this.name = 'BadRequestError';
	}
}

/** No valid session or ticket. */
export class UnauthorizedError extends SfuError {
	/** Creates an unauthorized error. */
	constructor(message: string) {
		super(ErrorCode.Unauthorized, message);
		this.name = 'UnauthorizedError';
	}
}

/** A join ticket used a second time (tickets are single-use): the client fetches a new one. */
export class TicketUsedError extends SfuError {
	/** Creates a ticket-used error. */
	constructor() {
		super(ErrorCode.TicketUsed, 'this ticket was already used; get a new one from the API');
		this.name = 'TicketUsedError';
	}
}

/** The caller's role does not allow the action. */
export class ForbiddenError extends SfuError {
	/** Creates a forbidden error. */
	constructor(message: string) {
		super(ErrorCode.Forbidden, message);
		this.name = 'ForbiddenError';
	}
}

/** The target (user, transport, consumer, room) does not exist here. */
export class NotFoundError extends SfuError {
	/** Creates a not_found error. */
	constructor(message: string) {
		super(ErrorCode.NotFound, message);
		this.name = 'NotFoundError';
	}
}

/** The action does not fit the current state (not on stage, nothing to accept…). */
export class InvalidStateError extends SfuError {
	/** Creates an invalid_state error. */
	constructor(message: string) {
		super(ErrorCode.InvalidState, message);
		this.name = 'InvalidStateError';
	}
}

/** The action conflicts with something that already exists. */
export class ConflictError extends SfuError {
	/** Creates a conflict error. */
	constructor(message: string) {
		super(ErrorCode.Conflict, message);
		this.name = 'ConflictError';
	}
}

/** The stage already holds `maxSpeakers` people. */
export class StageFullError extends SfuError {
	/** Creates a stage_full error. */
	constructor(message: string) {
		super(ErrorCode.StageFull, message);
		this.name = 'StageFullError';
	}
}

/** The user was removed from the room. */
export class BannedError extends SfuError {
	/** Creates a banned error. */
	constructor(message: string) {
		super(ErrorCode.Banned, message);
		this.name = 'BannedError';
	}
}

/** The room has ended. */
export class RoomEndedError extends SfuError {
	/** Creates a room_ended error. */
	constructor(message: string) {
		super(ErrorCode.RoomEnded, message);
		this.name = 'RoomEndedError';
	}
}

/** A media kind or codec the room does not carry (only Opus audio). */
export class UnsupportedError extends SfuError {
	/** Creates an unsupported error. */
	constructor(message: string) {
		super(ErrorCode.Unsupported, message);
		this.name = 'UnsupportedError';
	}
}

/** The client speaks another protocol version. */
export class ProtocolVersionError extends SfuError {
	/** Creates a protocol_version error. */
	constructor(message: string) {
		super(ErrorCode.ProtocolVersion, message);
		this.name = 'ProtocolVersionError';
	}
}

/** The client sends too much, or repeats an action too often. */
export class RateLimitedError extends SfuError {
	/** Creates a rate_limited error. */
	constructor(message: string) {
		super(ErrorCode.RateLimited, message);
		this.name = 'RateLimitedError';
	}
}

/** A dependency (the API) could not be reached or failed. */
export class UnavailableError extends SfuError {
	/** Creates an unavailable error. */
	constructor(message: string) {
		super(ErrorCode.Unavailable, message);
		this.name = 'UnavailableError';
	}
}

/**
 * The one mapper from a thrown value to the wire error. Errors thrown on purpose keep their code and
 * message; anything else is a bug or an infrastructure failure whose message may leak internals, so it
 * becomes `internal` with a fixed message (the caller logs the original).
 */
export function toWireError(error: unknown): WireError {
	if (error instanceof SfuError) {
		return { code: error.code, message: error.message };
	}
	if (error instanceof TokenError) {
		return error.reason === 'expired'
			? { code: ErrorCode.TicketExpired, message: 'ticket expired' }
			: { code: ErrorCode.Unauthorized, message: 'ticket invalid' };
	}

	return { code: ErrorCode.Internal, message: 'internal error' };
}
