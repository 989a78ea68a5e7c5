import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ModerationLogSchema } from '@majlis/protocol';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

/** `GET /api/rooms/:id/moderation-log`: every moderation act of the room, also once it ended (staff). */
const moderationLogRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, moderationLog } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['members'],
				operationId: 'getModerationLog',
				summary: 'The moderation log: who did what to whom, when and why (host, co-hosts, moderators)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: ModerationLogSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			await roomAccess.read(id, requireUser(request), RoomAction.ViewModerationLog);

			return { entries: await moderationLog.list(id) };
		}
	);
};

export default moderationLogRoute;
