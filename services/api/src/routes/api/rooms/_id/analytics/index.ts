import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, RoomAnalyticsSchema } from '@majlis/protocol';
import { ConflictError, ForbiddenError } from '../../../../../errors.js';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { recordingRights } from '../../../../../plugins/app/recordings/recording-access.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

/** `GET /api/rooms/:id/analytics`: an ended room's figures, for its host, co-hosts and moderators. */
const roomAnalytics: FastifyPluginAsyncTypebox = async (app) => {
	const { analyticsRepository, roomsRepository } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['recordings'],
				operationId: 'getRoomAnalytics',
				summary: 'Duration, listeners, speaking time, hand raises and replay plays of an ended room',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: RoomAnalyticsSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const userId = requireUser(request);
			const rights = await recordingRights(roomsRepository, id, userId);
			if (!rights.analytics) {
				throw new ForbiddenError("the room's figures are for its host, co-hosts and moderators");
			}
			const context = await roomsRepository.context(id, userId);
			if (context?.row.state !== 'ended') {
				throw new ConflictError('figures come once the room has ended', ErrorCode.InvalidState);
			}

			return analyticsRepository.read(id, context.row.started_at, context.row.ended_at);
		}
	);
};

export default roomAnalytics;
