import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../../errors.js';
import { toIcs } from '../../../plugins/app/calendars/ics.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';

/** `GET /api/calendar/:secret.ics`: a personal feed, opened by its secret alone (calendar apps send no token). */
const feedRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'/:file',
		{
			config: { auth: 'none' },
			schema: {
				tags: ['calendars'],
				operationId: 'getCalendarFeedIcs',
				summary:
					'A personal calendar feed (rooms you host, asked to be reminded of, or by people you follow)',
				params: Type.Object({
					file: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}\\.ics$', maxLength: 70 }),
				}),
				produces: ['text/calendar'],
				response: {
					200: Type.String({ description: 'text/calendar' }),
					400: ErrorResponseSchema,
					404: ErrorResponseSchema,
				},
			},
		},
		async (request, reply) => {
			const secret = request.params.file.slice(0, -'.ics'.length);
			const userId = await app.calendars.feedOwner(secret);
			if (!userId) {
				throw new NotFoundError('calendar feed');
			}
			reply
				.type('text/calendar; charset=utf-8')
				// The URL is a secret: keep it out of shared caches.
				.header('cache-control', 'private, max-age=300');

			return toIcs('Majlis', await app.calendars.feed(userId), `${request.protocol}://${request.host}`);
		}
	);
};

export default feedRoute;
