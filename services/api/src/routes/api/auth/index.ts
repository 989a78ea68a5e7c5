import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hasVisibleText, isHandle, USER_LIMITS } from '@majlis/protocol';
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from '../../../errors.js';
import { HandleTakenError } from '../../../plugins/app/users/users-repository.js';
import { RATE_LIMITS } from '../../../plugins/external/rate-limit.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';
import { LoginBodySchema, SessionSchema, SignupBodySchema } from '../../../schemas/users.js';

/** Signup and login: each returns the user and a Bearer JWT. */
const auth: FastifyPluginAsyncTypebox = async (app) => {
	app.post(
		'/signup',
		{
			config: { auth: 'none', rateLimit: RATE_LIMITS.signup },
			schema: {
				tags: ['auth'],
				operationId: 'signup',
				summary: 'Create an account',
				body: SignupBodySchema,
				response: { 201: SessionSchema, 400: ErrorResponseSchema, 409: ErrorResponseSchema },
			},
		},
		async (request, reply) => {
			const { handle, password } = request.body;
			const displayName = request.body.displayName.trim();
			if (displayName.length === 0) {
				throw new ValidationError({
					displayName: `must be ${USER_LIMITS.displayName.min}–${USER_LIMITS.displayName.max} characters`,
				});
			}
			// A name of zero-width characters shows as nobody; a password of spaces is no password.
			if (!hasVisibleText(displayName)) {
				throw new ValidationError({ displayName: 'must contain visible characters' });
			}
			if (password.trim() === '') {
				throw new ValidationError({ password: 'must not be only spaces' });
			}
			const passwordHash = await app.passwords.hash(password);
			try {
				const user = await app.usersRepository.create({ handle, displayName, passwordHash });
				reply.code(201);

				return { user, token: await app.sessions.issue(user.id) };
			} catch (error) {
				if (error instanceof HandleTakenError) {
					throw new ConflictError('that handle is taken', 'conflict', { handle: 'is taken' });
				}
				throw error;
			}
		}
	);

	app.post(
		'/login',
		{
			config: { auth: 'none', rateLimit: RATE_LIMITS.login },
			schema: {
				tags: ['auth'],
				operationId: 'login',
				summary: 'Sign in',
				description: 'The same 401 whether the handle exists or not.',
				body: LoginBodySchema,
				response: { 200: SessionSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
			},
		},
		async (request) => {
			const { handle, password } = request.body;
			const credentials = isHandle(handle) ? await app.usersRepository.findCredentials(handle) : undefined;
			// Unknown handles still pay for a verification, so timing does not tell them apart.
			const ok = credentials
				? await app.passwords.verify(credentials.passwordHash, password)
				: await app.passwords.verifyDummy(password);
			if (!credentials || !ok) {
				throw new UnauthorizedError('wrong handle or password');
			}
			if (await app.reports.isSuspended(credentials.user.id)) {
				throw new ForbiddenError('this account is suspended');
			}

			return { user: credentials.user, token: await app.sessions.issue(credentials.user.id) };
		}
	);
};

export default auth;
