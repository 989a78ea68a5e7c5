import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import {
	CommonErrors,
	NoContentSchema,
	RoomParamsSchema,
	RoomUserParamsSchema,
} from '../../../../../schemas/common.js';
import { BanListSchema } from '../../../../../schemas/bans.js';

/** `/api/rooms/:id/bans`: who was removed from the room (staff), and lifting a removal (host, co-hosts). */
const bans: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, roomBans, roomEvents, moderationLog } = app;

	app.get(
		'',
		{
			schema: {
				tags: ['members'],
				operationId: 'listBans',
				summary: 'People removed from the room (host, co-hosts, moderators)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: BanListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			await roomAccess.read(id, requireUser(request), RoomAction.ViewBans);

			return { items: await roomBans.list(id) };
		}
	);

	app.delete(
		'/:userId',
		{
			schema: {
				tags: ['members'],
				operationId: 'unban',
				summary: 'Lift a removal: the person may join again (host, co-hosts); idempotent',
				security: [...Security.user],
				params: RoomUserParamsSchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id, userId } = request.params;
			const lifted = await roomAccess.change(id, requireUser(request), RoomAction.Unban, (trx) =>
				roomBans.remove(id, userId, trx)
			);
			// A live room keeps its own ban list: tell the SFU, so the person can join right away.
			if (lifted) {
				await roomEvents.publish({ type: 'room.unbanned', data: { roomId: id, userId } });
				await moderationLog.record(id, { action: 'unban', actorId: requireUser(request), targetId: userId });
			}
			reply.code(204);
		}
	);
};

export default bans;
