import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BanByHandleBodySchema, Role } from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../../../errors.js';
import { requireUser } from '../../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../../schemas/common.js';

const BanReplySchema = Type.Object({
	/** The rooms the person is now banned from. */
	roomIds: Type.Array(Type.String({ format: 'uuid' })),
});

/**
 * `POST /api/rooms/:id/bans/by-handle`: ban someone by handle, also someone who already left (staff);
 * with `allMyRooms`, the host bans them from every scheduled or live room they host. A live room bans
 * them at once (and they leave if they are in it).
 */
const banByHandle: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, roomsRepository, usersRepository, roomEvents, moderationLog } = app;

	app.post(
		'',
		{
			schema: {
				tags: ['members'],
				operationId: 'banByHandle',
				summary: 'Ban someone by handle, present or not (host, co-hosts, moderators; all rooms: host)',
				security: [...Security.user],
				params: RoomParamsSchema,
				body: BanByHandleBodySchema,
				response: { 200: BanReplySchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const { handle, reason, allMyRooms = false } = request.body;
			const userId = requireUser(request);
			const live: string[] = [];
			const roomIds = await roomAccess.change(id, userId, RoomAction.Ban, async (trx, room) => {
				const target = await usersRepository.findByHandle(handle.replace(/^@/, ''), trx);
				if (!target) {
					throw new NotFoundError('user');
				}
				if (allMyRooms && room.role !== Role.Host) {
					throw new ForbiddenError('only the host bans from all their rooms');
				}
				const rooms = allMyRooms
					? await trx
							.selectFrom('rooms')
							.select(['id', 'state', 'host_id'])
							.where('host_id', '=', userId)
							.where('state', 'in', ['scheduled', 'live'])
							.execute()
					: [{ id, state: room.row.state, host_id: room.row.host_id }];
				if (room.role === Role.Moderator && room.room.moderatorIds.includes(target.id)) {
					throw new ForbiddenError('a moderator cannot ban another moderator');
				}
				for (const r of rooms) {
					if (target.id === r.host_id) {
						throw new ConflictError('the host cannot be banned');
					}
					if (r.id === id && (room.room.cohostIds.includes(target.id) || target.id === userId)) {
						// Co-hosts are removed by the host taking the appointment back first.
						throw new ConflictError('a co-host or oneself cannot be banned; take the role back first');
					}
				}
				for (const r of rooms) {
					await roomsRepository.ban(r.id, target.id, userId, trx);
					await roomsRepository.removeRole(r.id, target.id, 'moderator', trx);
					await roomsRepository.removeGuest(r.id, target.id, trx);
					if (r.state === 'live') {
						live.push(r.id);
					}
				}

				return { rooms: rooms.map((r) => r.id), targetId: target.id };
			});
			for (const roomId of live) {
				await roomEvents.publish({ type: 'room.banned', data: { roomId, userId: roomIds.targetId } });
			}
			for (const roomId of roomIds.rooms) {
				await moderationLog.record(roomId, {
					action: 'ban',
					actorId: userId,
					targetId: roomIds.targetId,
					reason,
					...(allMyRooms ? { detail: 'all-rooms' } : {}),
				});
			}
			return { roomIds: roomIds.rooms };
		}
	);
};

export default banByHandle;
