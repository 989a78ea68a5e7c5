import { ErrorCode, type RequestType } from '@majlis/protocol';
import { SfuError } from '../errors.js';

/**
 * What an anonymous listener (reach, issue 14: a public room's link, no account) may ask for: to join,
 * receive the room's audio, see who listens, read the chat, and leave. Everything else (hands, reactions, chat,
 * reports, the microphone) needs an account; an allow-list, so a request type added later is refused
 * until someone decides otherwise.
 */
const LISTEN_ONLY: ReadonlySet<RequestType> = new Set<RequestType>([
	'session:join',
	'session:leave',
	'transport:create',
	'transport:connect',
	'transport:restartIce',
	'consume:start',
	'consumer:resume',
	'consumers:resume',
	'listeners:list',
	// The pinned link is read like the chat; the quality report counts them among listeners who hear badly.
	'link:current',
	'quality:report',
	// Reading the chat is listening too; writing in it is not.
	'chat:history',
]);

/** An anonymous listener asked for something that needs an account. */
export class AccountRequiredError extends SfuError {
	/** Creates an account_required error. */
	constructor(type: string) {
		super(ErrorCode.AccountRequired, `sign up to use ${type}: listening is all an anonymous listener can do`);
		this.name = 'AccountRequiredError';
	}
}

/** Throws {@link AccountRequiredError} unless an anonymous listener may send `type`. */
export function assertListenOnly(type: RequestType): void {
	if (!LISTEN_ONLY.has(type)) {
		throw new AccountRequiredError(type);
	}
}
