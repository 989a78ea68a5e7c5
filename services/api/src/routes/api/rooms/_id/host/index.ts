import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Role } from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError } from '../../../../../errors.js';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import {
	CommonErrors,
	NoContentSchema,
	RoomParamsSchema,
	UuidSchema,
} from '../../../../../schemas/common.js';

const HandOverBody = Type.Object({ userId: UuidSchema });

/**
 * `PUT /api/rooms/:id/host`: the host hands a live room to one of its co-hosts, who becomes host; the
 * former host takes their co-host seat (as after a takeover, so the co-host count stays within limits).
 */
const host: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, roomsRepository, roomEvents } = app;

	app.put(
		'',
		{
			schema: {
				tags: ['members'],
				operationId: 'handOver',
				summary: 'Hand the live room to a co-host (host only); the host becomes a co-host',
				security: [...Security.user],
				params: RoomParamsSchema,
				body: HandOverBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			const { userId } = request.body;
			const formerHost = requireUser(request);
			await roomAccess.change(id, formerHost, RoomAction.HandOver, async (trx, room) => {
				if (!room.room.cohostIds.includes(userId)) {
					throw new ConflictError('only a co-host can take over as host');
				}
				await roomsRepository.removeRole(id, userId, 'cohost', trx);
				await roomsRepository.update(id, { host_id: userId }, trx);
				await roomsRepository.setRole(id, formerHost, 'cohost', userId, trx);
			});
			// The SFU makes the new host first, then seats the former one as co-host.
			await roomEvents.publish({ type: 'room.role', data: { roomId: id, userId, role: Role.Host } });
			await roomEvents.publish({
				type: 'room.role',
				data: { roomId: id, userId: formerHost, role: Role.Cohost },
			});
			reply.code(204);
		}
	);
};

export default host;
