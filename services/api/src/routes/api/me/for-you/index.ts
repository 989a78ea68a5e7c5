import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RoomSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors } from '../../../../schemas/common.js';

/** `GET /api/me/for-you`: live and upcoming rooms of hosts you follow and rooms you asked to be reminded of. */
const forYouRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'',
		{
			schema: {
				tags: ['rooms'],
				operationId: 'forYou',
				summary: 'Rooms for you: followed hosts’ and reminded rooms, live first',
				security: [...Security.user],
				response: { 200: Type.Object({ items: Type.Array(RoomSchema) }), ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const rows = await app.roomsRepository.findManyWithHost(await app.forYou.roomIds(userId));

			return { items: await app.roomViews.build(rows, userId) };
		}
	);
};

export default forYouRoute;
