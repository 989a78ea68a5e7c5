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
	const { roomAccess, roomBans } = app;

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
			await roomAccess.change(id, requireUser(request), RoomAction.Unban, (trx) =>
				roomBans.remove(id, userId, trx)
			);
			reply.code(204);
		}
	);
};

export default bans;
