import { CloseCode, ErrorCode, ServerRequestError } from '@majlis/protocol';
import { ApiRequestError } from '../../../api';
import { errorMessageKey } from '../../../app/errorMessage';
import type { MessageKey } from '../../../i18n';
import type { CloseReason } from '../stores/useRoomStore';

/** A failure that makes retrying pointless (banned, ended, gone, incompatible). */
export class FatalJoinError extends Error {
	/** Why the client stops. */
	readonly reason: CloseReason;
	/** What to tell the user. */
	readonly messageKey: MessageKey;

	constructor(reason: CloseReason, messageKey: MessageKey) {
		super(reason);
		this.name = 'FatalJoinError';
		this.reason = reason;
		this.messageKey = messageKey;
	}
}

/** The failure a close code means when rejoining cannot help; null when it can. */
export function fatalClose(code: number | null): FatalJoinError | null {
	switch (code) {
		case CloseCode.RoomEnded: {
			return new FatalJoinError('ended', 'error.roomEnded');
		}
		case CloseCode.Removed: {
			return new FatalJoinError('removed', 'error.banned');
		}
		case CloseCode.Replaced: {
			return new FatalJoinError('replaced', 'room.closed.replaced');
		}
		case CloseCode.ProtocolVersion: {
			return new FatalJoinError('protocol', 'room.closed.protocol');
		}
		default: {
			return null;
		}
	}
}

function fatalApiError(error: ApiRequestError): FatalJoinError | null {
	if (error.code === ErrorCode.RoomEnded) {
		return new FatalJoinError('ended', 'error.roomEnded');
	}
	if (error.code === ErrorCode.Banned) {
		return new FatalJoinError('removed', 'error.banned');
	}
	if (error.status === 401 || error.status === 403 || error.status === 404 || error.status === 410) {
		return new FatalJoinError('failed', errorMessageKey(error));
	}
	if (error.status === 409 && error.code === ErrorCode.InvalidState) {
		return new FatalJoinError('failed', 'roompage.notStarted');
	}

	return null;
}

function fatalRequestError(error: ServerRequestError): FatalJoinError | null {
	switch (error.code) {
		case ErrorCode.RoomEnded: {
			return new FatalJoinError('ended', 'error.roomEnded');
		}
		case ErrorCode.Banned: {
			return new FatalJoinError('removed', 'error.banned');
		}
		case ErrorCode.ProtocolVersion: {
			return new FatalJoinError('protocol', 'room.closed.protocol');
		}
		case ErrorCode.Forbidden:
		case ErrorCode.NotFound: {
			return new FatalJoinError('failed', errorMessageKey(error));
		}
		default: {
			return null;
		}
	}
}

/** The failure a join error means when retrying is pointless (API refusal or SFU refusal); else null. */
export function fatalError(error: unknown): FatalJoinError | null {
	if (error instanceof FatalJoinError) {
		return error;
	}
	if (error instanceof ApiRequestError) {
		return fatalApiError(error);
	}
	if (error instanceof ServerRequestError) {
		return fatalRequestError(error);
	}

	return null;
}
