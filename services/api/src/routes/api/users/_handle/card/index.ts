import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../../errors.js';
import { profileShareText } from '../../../../../plugins/app/share/share-cards.js';
import { ErrorResponseSchema } from '../../../../../schemas/common.js';
import { HandleParamsSchema } from '../../../../../schemas/users.js';

/** `GET /api/users/:handle/card.png`: a person's 1200×630 share card (the `og:image` of their page). */
const profileCardRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'.png',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['users'],
				operationId: 'getProfileCard',
				summary: 'A person’s profile as a 1200×630 PNG share card',
				description:
					'With `v` (as in the profile page’s og:image) a new card gets a new URL; caches revalidate with the ETag.',
				params: HandleParamsSchema,
				querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }),
				produces: ['image/png'],
				response: {
					200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the PNG image' }),
					304: Type.Unsafe<undefined>({ description: 'not modified' }),
					400: ErrorResponseSchema,
					404: ErrorResponseSchema,
				},
			},
		},
		// The image is sent as bytes (Fastify serializes only objects): the schema only documents it.
		async (request, reply) => {
			// Profiles are public; a deleted account has none.
			const profile = await app.usersRepository.findProfile(request.params.handle);
			if (!profile) {
				throw new NotFoundError('user');
			}
			const text = profileShareText(profile);
			const etag = `"${text.version}"`;
			reply.header('etag', etag).header('cache-control', 'public, max-age=300');
			if (request.headers['if-none-match'] === etag) {
				return reply.code(304).send();
			}

			return reply.type('image/png').send(app.shareCards.png(text));
		}
	);
};

export default profileCardRoute;
