import { UserSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { ERROR_MESSAGE_KEYWORD } from '../validation.js';
import { lineSchema } from './common.js';

/** A handle as chosen at signup: 3–30 of a-z, 0-9 and _ (case is kept but not significant). */
export const HandleSchema = Type.String({
	minLength: 3,
	maxLength: 30,
	pattern: '^[A-Za-z0-9_]+$',
	[ERROR_MESSAGE_KEYWORD]: 'must contain only a-z, 0-9 and _',
	description: '3–30 of a-z, 0-9 and _; unique regardless of case',
});

/** Body of `POST /api/auth/signup`. */
export const SignupBodySchema = Type.Object({
	handle: HandleSchema,
	displayName: lineSchema(1, 50),
	password: Type.String({ minLength: 8, maxLength: 1024 }),
});

/** Body of `POST /api/auth/login`; loose on purpose, so a malformed handle looks like an unknown one. */
export const LoginBodySchema = Type.Object({
	handle: Type.String({ minLength: 1, maxLength: 64 }),
	password: Type.String({ minLength: 1, maxLength: 1024 }),
});

/** Reply of signup and login. */
export const SessionSchema = Type.Object({
	user: UserSchema,
	/** Bearer JWT for `Authorization: Bearer …`. */
	token: Type.String(),
});

/** Path params of `GET /api/users/:handle`. */
export const HandleParamsSchema = Type.Object({
	handle: Type.String({
		minLength: 1,
		maxLength: 30,
		pattern: '^[A-Za-z0-9_]+$',
		[ERROR_MESSAGE_KEYWORD]: 'must contain only a-z, 0-9 and _',
	}),
});

/** Querystring of `GET /api/users`. */
export const UserSearchQuerySchema = Type.Object({
	q: lineSchema(1, 50, 'prefix of a handle or display name'),
});

/** Most users `GET /api/users` returns. */
export const USER_SEARCH_LIMIT = 20;
