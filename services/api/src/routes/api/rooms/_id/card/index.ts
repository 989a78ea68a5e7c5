import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '../../../../../errors.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { roomShareText } from '../../../../../plugins/app/share/share-cards.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';
import {
	ImageVersionQuerySchema,
	imageResponses,
	sendVersionedImage,
} from '../../../../../versioned-image.js';

/** `GET /api/rooms/:id/card.png`: the room's 1200×630 share card (the `og:image` of its page). */
const roomCardRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'.png',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['rooms'],
				operationId: 'getRoomCard',
				summary:
					'The room as a 1200×630 PNG share card (title, host, time, state; Arabic laid out right to left)',
				description:
					'With `v` (as in the room page’s og:image) a new card gets a new URL; caches revalidate with the ETag.',
				params: RoomParamsSchema,
				querystring: ImageVersionQuerySchema,
				produces: ['image/png'],
				response: {
					...imageResponses('PNG'),
					...CommonErrors,
				},
			},
		},
		async (request, reply) => {
			// A private room's card is a 404 to whoever may not see the room, like the room itself.
			const access = await app.roomAccess.read(request.params.id, request.userId, RoomAction.View);
			const room = await app.roomsRepository.findWithHost(request.params.id);
			if (!room) {
				throw new NotFoundError('room');
			}
			const text = roomShareText(room);
			return sendVersionedImage(
				request,
				reply,
				{
					version: text.version,
					type: 'image/png',
					// Previews of shared links are fetched by crawlers without a session: only public and
					// unlisted cards may sit in shared caches.
					cacheControl: `${access.row.visibility === 'private' ? 'private' : 'public'}, max-age=300`,
				},
				() => app.shareCards.png(text)
			);
		}
	);
};

export default roomCardRoute;
