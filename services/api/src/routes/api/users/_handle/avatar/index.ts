import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../../errors.js';
import { AVATAR_TYPE } from '../../../../../plugins/app/users/avatars.js';
import { ErrorResponseSchema } from '../../../../../schemas/common.js';
import { HandleParamsSchema } from '../../../../../schemas/users.js';

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
				querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }),
				response: {
					200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the WebP image' }),
					304: Type.Unsafe<undefined>({ description: 'not modified' }),
					400: ErrorResponseSchema,
					404: ErrorResponseSchema,
				},
			},
		},
		// The image is sent as bytes (Fastify serializes only objects): the schema only documents it.
		async (request, reply) => {
			const user = await app.usersRepository.findProfile(request.params.handle);
			const version = user?.avatar ?? null;
			const bytes = user && version !== null ? await app.avatars.read(user.id) : undefined;
			if (!bytes) {
				throw new NotFoundError('avatar');
			}
			const etag = `"${version}"`;
			reply.header('etag', etag);
			reply.header('x-content-type-options', 'nosniff');
			// A versioned URL names one image forever; the bare one must be revalidated after an upload.
			reply.header(
				'cache-control',
				request.query.v === version ? 'public, max-age=31536000, immutable' : 'public, no-cache'
			);
			if (request.headers['if-none-match'] === etag) {
				return reply.code(304).send();
			}

			return reply.type(AVATAR_TYPE).send(bytes);
		}
	);
};

export default avatarRoute;
