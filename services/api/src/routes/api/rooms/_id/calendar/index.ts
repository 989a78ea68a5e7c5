import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../../errors.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { toIcs } from '../../../../../plugins/app/calendars/ics.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

/** `GET /api/rooms/:id/calendar.ics`: the room as an iCalendar event ("add to calendar"). */
const roomCalendarRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'.ics',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['calendars'],
				operationId: 'getRoomCalendar',
				summary: 'The room as an iCalendar (RFC 5545) event',
				params: RoomParamsSchema,
				produces: ['text/calendar'],
				response: { 200: Type.String({ description: 'text/calendar' }), ...CommonErrors },
			},
		},
		async (request, reply) => {
			await app.roomAccess.read(request.params.id, request.userId, RoomAction.View);
			const entry = await app.calendars.roomEntry(request.params.id);
			if (!entry) {
				throw new NotFoundError('room');
			}
			reply
				.type('text/calendar; charset=utf-8')
				.header('content-disposition', `attachment; filename="majlis-${entry.roomId}.ics"`);

			return toIcs(entry.title, [entry], `${request.protocol}://${request.host}`);
		}
	);
};

export default roomCalendarRoute;
