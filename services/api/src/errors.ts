import { ErrorCode } from '@majlis/protocol';

/** Field path → what is wrong with it, as sent in `error.fields`. */
export type FieldErrors = Record<string, string>;

/** An error the API answers with its own status and `{ error: { code, message, fields? } }` body. */
export class ApiError extends Error {
	/** HTTP status. */
	readonly statusCode: number;
	/** Wire error code (see protocol's ErrorCode). */
	readonly errorCode: ErrorCode;
	/** Per-field problems, for validation errors. */
	readonly fields: FieldErrors | undefined;

	/** Creates an API error; prefer the named subclasses. */
	constructor(statusCode: number, errorCode: ErrorCode, message: string, fields?: FieldErrors) {
		super(message);
		this.name = 'ApiError';
		this.statusCode = statusCode;
		this.errorCode = errorCode;
		this.fields = fields;
	}
}

/** 400: input that passed the schema but breaks a rule (a past `scheduledFor`, a blank title…). */
export class ValidationError extends ApiError {
	/** Names each bad field. */
	constructor(fields: FieldErrors, message = 'invalid request') {
		super(400, ErrorCode.BadRequest, message, fields);
		this.name = 'ValidationError';
	}
}

/** 401: no token, or a bad or expired one, or bad credentials. */
export class UnauthorizedError extends ApiError {
	/** Creates a 401. */
	constructor(message = 'sign in first') {
		super(401, ErrorCode.Unauthorized, message);
		this.name = 'UnauthorizedError';
	}
}

/** 403: signed in but not allowed (`banned` for users removed from the room). */
export class ForbiddenError extends ApiError {
	/** Creates a 403. */
	constructor(message = 'not allowed', code: ErrorCode = ErrorCode.Forbidden) {
		super(403, code, message);
		this.name = 'ForbiddenError';
	}
}

/** 404: unknown, or invisible to the caller (private rooms look exactly like missing ones). */
export class NotFoundError extends ApiError {
	/** Creates a 404 naming what was not found. */
	constructor(what: string) {
		super(404, ErrorCode.NotFound, `${what} not found`);
		this.name = 'NotFoundError';
	}
}

/** 409: wrong state (`invalid_state`, `room_ended`) or a limit/uniqueness conflict (`conflict`). */
export class ConflictError extends ApiError {
	/** Creates a 409. */
	constructor(message: string, code: ErrorCode = ErrorCode.Conflict, fields?: FieldErrors) {
		super(409, code, message, fields);
		this.name = 'ConflictError';
	}
}

/** 503: a dependency the request needs is missing (no live SFU node). */
export class UnavailableError extends ApiError {
	/** Creates a 503. */
	constructor(message: string) {
		super(503, ErrorCode.Unavailable, message);
		this.name = 'UnavailableError';
	}
}

/** 429: too many attempts; `retryAfter` says in how many seconds to try again (also sent as Retry-After). */
export class RateLimitedError extends ApiError {
	/** Seconds to wait before the next attempt (at least 1). */
	readonly retryAfter: number;

	/** Creates a 429 saying how long to wait. */
	constructor(retryAfterSeconds: number, message = `too many attempts; retry in ${retryAfterSeconds} s`) {
		super(429, ErrorCode.RateLimited, message);
		this.name = 'RateLimitedError';
		this.retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
	}
}
