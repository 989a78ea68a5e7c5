import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	ErrorCode,
	InternalRecordingSchema,
	InternalStartRecordingSchema,
	roomNodeKey,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../../../errors.js';
import { CommonErrors, RoomParamsSchema, UuidSchema } from '../../../../../../schemas/common.js';

const StartBody = Type.Object({ ...InternalStartRecordingSchema.properties, by: UuidSchema });

/** `POST /api/internal/rooms/:id/recordings`: an SFU starts recording a live room scheduled as recorded. */
const internalRoomRecordings: FastifyPluginAsyncTypebox = async (app) => {
	const { recordingsRepository: repo, roomsRepository } = app;

	app.post(
		'',
		{
			schema: {
				operationId: 'internalStartRecording',
				summary: 'Create a recording of a live room (refused unless the room is scheduled with recording on)',
				params: RoomParamsSchema,
				body: StartBody,
				response: { 201: InternalRecordingSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			const context = await roomsRepository.context(id, null);
			if (!context) {
				throw new NotFoundError('room');
			}
			if (context.row.state !== 'live') {
				throw new ConflictError('the room is not live', ErrorCode.InvalidState);
			}
			if (!(await repo.enabled(id))) {
				throw new ForbiddenError('this room was scheduled without recording');
			}
			// The room's origin node captures it (the SFU asking is that node).
			const row = await repo.create(id, request.body.by, await app.bus.get(roomNodeKey(id)));
			reply.code(201);

			return { id: row.id, startedAt: row.started_at.getTime() };
		}
	);
};

export default internalRoomRecordings;
