import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReportListSchema } from '@majlis/protocol';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

/** `GET /api/rooms/:id/reports`: the room's open reports, its moderators' queue (staff). */
const roomReports: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, reports } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['members'],
				operationId: 'listRoomReports',
				summary: 'Open reports about people in the room (host, co-hosts, moderators)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: ReportListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			await roomAccess.read(request.params.id, requireUser(request), RoomAction.ViewModerationLog);

			return { items: await reports.open(request.params.id) };
		}
	);
};

export default roomReports;
