import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	DeleteAccountBodySchema,
	hasVisibleText,
	UpdateProfileBodySchema,
	UserSchema,
} from '@majlis/protocol';
import { UnauthorizedError, ValidationError } from '../../../errors.js';
import { requireUser } from '../../../plugins/app/authentication.js';
import { Security } from '../../../plugins/external/swagger.js';
import { RATE_LIMITS } from '../../../plugins/external/rate-limit.js';
import { CommonErrors, ErrorResponseSchema, NoContentSchema } from '../../../schemas/common.js';

/** `/api/me`: the signed-in user; change the profile (PATCH) or delete the account (DELETE). */
const me: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'getMe',
				summary: 'The signed-in user',
				security: [...Security.user],
				response: { 200: UserSchema, 401: ErrorResponseSchema },
			},
		},
		async (request) => {
			const user = await app.usersRepository.findById(requireUser(request));
			if (!user) {
				throw new UnauthorizedError();
			}

			return user;
		}
	);

	// Reach (issue 14): profile editing and account deletion.
	app.patch(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'updateMe',
				summary: 'Change your display name and/or bio',
				security: [...Security.user],
				body: UpdateProfileBodySchema,
				response: { 200: UserSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const displayName = request.body.displayName?.trim();
			if (displayName !== undefined && !hasVisibleText(displayName)) {
				throw new ValidationError({ displayName: 'must contain visible characters' });
			}
			const bio = request.body.bio?.trim();
			await app.usersRepository.updateProfile(userId, { displayName, bio });
			if (displayName !== undefined) {
				// Rooms are found by their host's name too.
				await app.roomsRepository.refreshHostSearchText(userId);
			}
			const user = await app.usersRepository.findById(userId);
			if (!user) {
				throw new UnauthorizedError();
			}

			return user;
		}
	);

	app.delete(
		'',
		{
			// Guessing the password with a stolen token is throttled like log-in.
			config: { rateLimit: RATE_LIMITS.login },
			schema: {
				tags: ['users'],
				operationId: 'deleteMe',
				summary: 'Delete your account (needs your password)',
				description:
					'Your live rooms end and your scheduled rooms are cancelled; your name, bio, avatar, follows and ' +
					'sessions go. Ended rooms and moderation records stay, without your name.',
				security: [...Security.user],
				body: DeleteAccountBodySchema,
				response: { 204: NoContentSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			const hash = await app.usersRepository.passwordHash(userId);
			if (hash === undefined || !(await app.passwords.verify(hash, request.body.password))) {
				throw new ValidationError({ password: 'is not your password' });
			}
			await app.accountDeletion.delete(userId, request.log);
			reply.code(204);
		}
	);
};

export default me;
