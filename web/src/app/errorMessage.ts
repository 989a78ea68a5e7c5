import { ErrorCode } from '@majlis/protocol';
import type { MessageKey } from '../i18n';

const byCode: Partial<Record<string, MessageKey>> = {
	network: 'error.network',
	timeout: 'error.timeout',
	[ErrorCode.NotFound]: 'error.notFound',
	[ErrorCode.Forbidden]: 'error.forbidden',
	[ErrorCode.Unauthorized]: 'error.unauthorized',
	[ErrorCode.RateLimited]: 'error.rateLimited',
	[ErrorCode.Unavailable]: 'error.unavailable',
	[ErrorCode.RoomEnded]: 'error.roomEnded',
	[ErrorCode.Banned]: 'error.banned',
	[ErrorCode.StageFull]: 'error.stageFull',
	[ErrorCode.InvalidState]: 'error.invalidState',
	[ErrorCode.Conflict]: 'error.conflict',
	[ErrorCode.AccountRequired]: 'anon.accountRequired',
};

/** The translated message for an error code from the API or the SFU (generic when unknown). */
export function errorMessageKey(error: unknown): MessageKey {
	const code = (error as { code?: unknown } | null)?.code;

	return (typeof code === 'string' ? byCode[code] : undefined) ?? 'error.generic';
}
