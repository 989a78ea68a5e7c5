import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	ErrorCode,
	InternalBanSchema,
	InternalEndSchema,
	InternalHostSchema,
	InternalRoomSchema,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, NotFoundError } from '../../../../errors.js';
import { CommonErrors, NoContentSchema, RoomParamsSchema, UuidSchema } from '../../../../schemas/common.js';

// Request bodies with the strict UUID pattern (protocol's IdSchema uses `format: uuid` only).
const BanBody = Type.Object({ ...InternalBanSchema.properties, userId: UuidSchema, by: UuidSchema });
const EndBody = Type.Object({ ...InternalEndSchema.properties, by: Type.Union([UuidSchema, Type.Null()]) });
const HostBody = Type.Object({ ...InternalHostSchema.properties, userId: UuidSchema });

/** What SFU nodes ask of the system of record: room facts, removals, endings and host takeovers. */
const internalRooms: FastifyPluginAsyncTypebox = async (app) => {
	const { db, roomsRepository, roomViews, usersRepository } = app;

	async function internalRoom(id: string) {
		const room = await roomViews.internal(id);
		if (!room) {
			throw new NotFoundError('room');
		}

		return room;
	}

	app.get(
		'/:id',
		{
			schema: {
				operationId: 'internalGetRoom',
				summary: 'Room settings, roles, guest list and bans (when an SFU opens a room)',
				params: RoomParamsSchema,
				response: { 200: InternalRoomSchema, ...CommonErrors },
			},
		},
		async (request) => internalRoom(request.params.id)
	);

	app.post(
		'/:id/bans',
		{
			schema: {
				operationId: 'internalBanUser',
				summary: 'Record a removal: the user may not join again and loses appointments and guest entry',
				params: RoomParamsSchema,
				body: BanBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			const { userId, by } = request.body;
			await db.transaction().execute(async (trx) => {
				const room = await roomsRepository.context(id, null, { trx, lock: true });
				if (!room) {
					throw new NotFoundError('room');
				}
				if (room.row.state === 'ended') {
					throw new ConflictError('the room has ended', ErrorCode.RoomEnded);
				}
				if (userId === room.row.host_id) {
					throw new ConflictError('the host cannot be removed');
				}
				for (const user of [userId, by]) {
					if (!(await usersRepository.findById(user, trx))) {
						throw new NotFoundError('user');
					}
				}
				await roomsRepository.ban(id, userId, by, trx);
				await roomsRepository.removeRole(id, userId, 'cohost', trx);
				await roomsRepository.removeRole(id, userId, 'moderator', trx);
				await roomsRepository.removeGuest(id, userId, trx);
			});
			reply.code(204);
		}
	);

	app.post(
		'/:id/end',
		{
			schema: {
				operationId: 'internalEndRoom',
				summary: 'The room ended on the SFU (host ended it, or no host is left); idempotent',
				params: RoomParamsSchema,
				body: EndBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			const endedNow = await db.transaction().execute(async (trx) => {
				const room = await roomsRepository.context(id, null, { trx, lock: true });
				if (!room) {
					throw new NotFoundError('room');
				}
				if (room.row.state === 'scheduled') {
					throw new ConflictError('the room is not live', ErrorCode.InvalidState);
				}
				if (room.row.state === 'live') {
					await roomsRepository.update(id, { state: 'ended', ended_at: new Date() }, trx);

					return true;
				}

				return false;
			});
			if (endedNow) {
				await app.webhooks.emit('room.ended', id);
			}
			await app.placement.forget(id);
			reply.code(204);
		}
	);

	app.post(
		'/:id/host',
		{
			schema: {
				operationId: 'internalTransferHost',
				summary: 'A co-host took over after the host’s grace period; the old host becomes a co-host',
				params: RoomParamsSchema,
				body: HostBody,
				response: { 200: InternalRoomSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const { userId } = request.body;
			await db.transaction().execute(async (trx) => {
				const room = await roomsRepository.context(id, null, { trx, lock: true });
				if (!room) {
					throw new NotFoundError('room');
				}
				if (room.row.state !== 'live') {
					throw new ConflictError(
						`the room is ${room.row.state}`,
						room.row.state === 'ended' ? ErrorCode.RoomEnded : ErrorCode.InvalidState
					);
				}
				if (!room.room.cohostIds.includes(userId)) {
					throw new ConflictError('only a co-host can take over as host');
				}
				const previousHost = room.row.host_id;
				await roomsRepository.removeRole(id, userId, 'cohost', trx);
				await roomsRepository.update(id, { host_id: userId }, trx);
				// The new host's co-host seat goes to the old host, so the co-host count stays within limits.
				await roomsRepository.setRole(id, previousHost, 'cohost', null, trx);
			});

			return internalRoom(id);
		}
	);
};

export default internalRooms;
