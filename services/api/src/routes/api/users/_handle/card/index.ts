import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../../../../errors.js';
import { profileShareText } from '../../../../../plugins/app/share/share-cards.js';
import { ErrorResponseSchema } from '../../../../../schemas/common.js';
import { HandleParamsSchema } from '../../../../../schemas/users.js';
import {
	ImageVersionQuerySchema,
	imageResponses,
	sendVersionedImage,
} from '../../../../../versioned-image.js';

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
				querystring: ImageVersionQuerySchema,
				produces: ['image/png'],
				response: {
					...imageResponses('PNG'),
					400: ErrorResponseSchema,
					404: ErrorResponseSchema,
				},
			},
		},
		async (request, reply) => {
			// Profiles are public; a deleted account has none.
			const profile = await app.usersRepository.findProfile(request.params.handle);
			if (!profile) {
				throw new NotFoundError('user');
			}
			const text = profileShareText(profile);
			return sendVersionedImage(
				request,
				reply,
				{ version: text.version, type: 'image/png', cacheControl: 'public, max-age=300' },
				() => app.shareCards.png(text)
			);
		}
	);
};

export default profileCardRoute;
