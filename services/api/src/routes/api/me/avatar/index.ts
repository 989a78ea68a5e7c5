import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { avatarUrl, PROFILE_LIMITS } from '@majlis/protocol';
import { Type } from 'typebox';
import { UnauthorizedError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { ErrorResponseSchema, NoContentSchema } from '../../../../schemas/common.js';

/** `/api/me/avatar`: upload (the raw image as the body) and remove one's avatar. */
const myAvatar: FastifyPluginAsyncTypebox = async (app) => {
	// The image is the body, read whole (bounded by bodyLimit) and decoded by sharp; any other type is a 415.
	app.addContentTypeParser([...PROFILE_LIMITS.avatarTypes], { parseAs: 'buffer' }, (_request, body, done) =>
		done(null, body)
	);

	app.put(
		'',
		{
			bodyLimit: PROFILE_LIMITS.avatarBytes,
			schema: {
				tags: ['users'],
				operationId: 'setAvatar',
				summary: 'Upload an avatar: a PNG, JPEG or WebP image of at most 5 MB, sent as the body',
				description:
					'Stored cropped to a 256×256 square and re-encoded, without the upload’s metadata (EXIF, GPS). ' +
					'413 when larger than 5 MB, 415 for another type, 400 when it is not a readable image.',
				security: [...Security.user],
				consumes: [...PROFILE_LIMITS.avatarTypes],
				response: {
					200: Type.Object({ avatarUrl: Type.String() }),
					400: ErrorResponseSchema,
					401: ErrorResponseSchema,
					413: ErrorResponseSchema,
					415: ErrorResponseSchema,
				},
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const user = await app.usersRepository.findById(userId);
			if (!user) {
				throw new UnauthorizedError();
			}
			const { bytes, version } = await app.avatars.process(request.body as Buffer);
			await app.avatars.save(userId, bytes);
			await app.usersRepository.setAvatar(userId, version);

			return { avatarUrl: avatarUrl(user.handle, version) ?? '' };
		}
	);

	app.delete(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'removeAvatar',
				summary: 'Remove your avatar; idempotent',
				security: [...Security.user],
				response: { 204: NoContentSchema, 401: ErrorResponseSchema },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			await app.usersRepository.setAvatar(userId, null);
			await app.avatars.remove(userId);
			reply.code(204);
		}
	);
};

export default myAvatar;
