import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, SeriesBodySchema, SeriesSchema } from '@majlis/protocol';
import { ConflictError, NotFoundError, ValidationError } from '../../../../../errors.js';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

/** `/api/rooms/:id/series`: make a scheduled room repeat; the series page's occurrences. */
const seriesRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['rooms'],
				operationId: 'getSeries',
				summary: 'The series this room belongs to, with its occurrences (404 when it does not repeat)',
				params: RoomParamsSchema,
				response: { 200: SeriesSchema, ...CommonErrors },
			},
		},
		async (request) => {
			await app.roomAccess.read(request.params.id, request.userId, RoomAction.View);
			const series = await app.series.ofRoom(request.params.id);
			if (!series) {
				throw new NotFoundError('series');
			}

			return series;
		}
	);

	app.put(
		'',
		{
			schema: {
				tags: ['rooms'],
				operationId: 'createSeries',
				summary: 'Repeat this scheduled room every N days (7: weekly), until a date or N times (host)',
				security: [...Security.user],
				params: RoomParamsSchema,
				body: SeriesBodySchema,
				response: { 200: SeriesSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const body = request.body;
			if ((body.until ?? null) === null && (body.count ?? null) === null) {
				throw new ValidationError({
					until: 'give an end date or a number of times',
					count: 'give an end date or a number of times',
				});
			}
			// Repeating is the host's call on a room not yet started, like cancelling it.
			await app.roomAccess.change(id, requireUser(request), RoomAction.Cancel, async (trx, room) => {
				if (room.row.series_id) {
					throw new ConflictError('the room already repeats', ErrorCode.Conflict);
				}
				if (!room.row.scheduled_for) {
					throw new ConflictError('a repeating room needs a start time', ErrorCode.InvalidState, {
						scheduledFor: 'set a start time first',
					});
				}
				if (body.until && new Date(body.until) <= room.row.scheduled_for) {
					throw new ValidationError({ until: 'must be after the first start' });
				}
				await app.series.create(room.row, body, trx);
			});

			return (await app.series.ofRoom(id))!;
		}
	);
};

export default seriesRoute;
