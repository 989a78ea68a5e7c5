import { ERROR_MESSAGE_KEYWORD, HANDLE_PATTERN, lineSchema, USER_LIMITS } from '@majlis/protocol';
import { Type } from 'typebox';

// The account bodies and their limits are the protocol's (the web's forms check the same ones).
export { HandleSchema, LoginBodySchema, SessionSchema, SignupBodySchema } from '@majlis/protocol';

/** Path params of `GET /api/users/:handle`. */
export const HandleParamsSchema = Type.Object({
	handle: Type.String({
		minLength: 1,
		maxLength: USER_LIMITS.handle.max,
		pattern: HANDLE_PATTERN,
		[ERROR_MESSAGE_KEYWORD]: 'must contain only a-z, 0-9 and _',
	}),
});

/** Querystring of `GET /api/users`. */
export const UserSearchQuerySchema = Type.Object({
	q: lineSchema(1, USER_LIMITS.displayName.max, 'prefix of a handle or display name'),
});

/** Most users `GET /api/users` returns. */
export const USER_SEARCH_LIMIT = 20;
