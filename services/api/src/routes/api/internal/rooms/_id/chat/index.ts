import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	InternalChatDeleteSchema,
	InternalChatHistorySchema,
	InternalChatMessageSchema,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../../../errors.js';
import {
	CommonErrors,
	NoContentSchema,
	RoomParamsSchema,
	UuidSchema,
} from '../../../../../../schemas/common.js';

// Request bodies with the strict UUID pattern (protocol's IdSchema uses `format: uuid` only).
const MessageBody = Type.Object(
	{ ...InternalChatMessageSchema.properties, id: UuidSchema, userId: UuidSchema },
	{ additionalProperties: false }
);
const DeleteBody = Type.Object({ ...InternalChatDeleteSchema.properties, by: UuidSchema });
const MessageParams = Type.Object({ ...RoomParamsSchema.properties, messageId: UuidSchema });

/** `/api/internal/rooms/:id/chat`: the SFU stores a room's chat in Postgres and reads it back for late joiners. */
const internalRoomChat: FastifyPluginAsyncTypebox = async (app) => {
	const { chatRepository } = app;

	app.get(
		'',
		{
			schema: {
				operationId: 'internalGetChat',
				summary: "The room's chat mode and its last messages, oldest first",
				params: RoomParamsSchema,
				response: { 200: InternalChatHistorySchema, ...CommonErrors },
			},
		},
		async (request) => {
			const mode = await chatRepository.mode(request.params.id);
			if (!mode) {
				throw new NotFoundError('room');
			}

			return { mode, messages: await chatRepository.last(request.params.id) };
		}
	);

	app.post(
		'',
		{
			schema: {
				operationId: 'internalPostChatMessage',
				summary: 'Store a chat message (checked by the SFU)',
				params: RoomParamsSchema,
				body: MessageBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			if (!(await chatRepository.mode(request.params.id))) {
				throw new NotFoundError('room');
			}
			await chatRepository.insert(request.params.id, request.body);
			reply.code(204);
		}
	);

	app.post(
		'/:messageId/delete',
		{
			schema: {
				operationId: 'internalDeleteChatMessage',
				summary: 'Mark a chat message deleted by a moderator',
				params: MessageParams,
				body: DeleteBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id, messageId } = request.params;
			if (!(await chatRepository.markDeleted(id, messageId, request.body.by))) {
				throw new NotFoundError('message');
			}
			reply.code(204);
		}
	);
};

export default internalRoomChat;
