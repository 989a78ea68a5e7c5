import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../../../../errors.js';
import { AVATAR_TYPE } from '../../../../../plugins/app/users/avatars.js';
import { ErrorResponseSchema } from '../../../../../schemas/common.js';
import { HandleParamsSchema } from '../../../../../schemas/users.js';
import {
	ImageVersionQuerySchema,
	imageResponses,
	sendVersionedImage,
} from '../../../../../versioned-image.js';

/** `GET /api/users/:handle/avatar`: the avatar image; cached for good when asked by its version. */
const avatarRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['users'],
				operationId: 'getAvatar',
				summary: 'A person’s avatar (256×256 WebP)',
				description:
					'With `v` (the version in the profile’s avatarUrl) the image never changes and may be cached for a year; ' +
					'without it, caches revalidate with the ETag.',
				params: HandleParamsSchema,
				querystring: ImageVersionQuerySchema,
				response: {
					...imageResponses('WebP'),
					400: ErrorResponseSchema,
					404: ErrorResponseSchema,
				},
			},
		},
		async (request, reply) => {
			const user = await app.usersRepository.findProfile(request.params.handle);
			const version = user?.avatar ?? null;
			const bytes = user && version !== null ? await app.avatars.read(user.id) : undefined;
			if (!bytes || version === null) {
				throw new NotFoundError('avatar');
			}
			reply.header('x-content-type-options', 'nosniff');

			return sendVersionedImage(
				request,
				reply,
				{
					version,
					type: AVATAR_TYPE,
					// A versioned URL names one image forever; the bare one must be revalidated after an upload.
					cacheControl:
						request.query.v === version ? 'public, max-age=31536000, immutable' : 'public, no-cache',
				},
				() => bytes
			);
		}
	);
};

export default avatarRoute;
