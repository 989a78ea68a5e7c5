import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InternalModerationEntrySchema, ModerationLogSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../../../errors.js';
import {
	CommonErrors,
	NoContentSchema,
	RoomParamsSchema,
	UuidSchema,
} from '../../../../../../schemas/common.js';

// Request body with the strict UUID pattern (protocol's IdSchema uses `format: uuid` only).
const EntryBody = Type.Object(
	{
		...InternalModerationEntrySchema.properties,
		id: UuidSchema,
		actorId: Type.Union([UuidSchema, Type.Null()]),
		targetId: Type.Union([UuidSchema, Type.Null()]),
	},
	{ additionalProperties: false }
);

/** `/api/internal/rooms/:id/moderation`: the SFU keeps each moderation act and reads the log back. */
const internalModeration: FastifyPluginAsyncTypebox = async (app) => {
	const { moderationLog, roomsRepository } = app;

	app.get(
		'',
		{
			schema: {
				operationId: 'internalGetModerationLog',
				summary: "The room's moderation log, oldest first",
				params: RoomParamsSchema,
				response: { 200: ModerationLogSchema, ...CommonErrors },
			},
		},
		async (request) => ({ entries: await moderationLog.list(request.params.id) })
	);

	app.post(
		'',
		{
			schema: {
				operationId: 'internalPostModerationEntry',
				summary: 'Keep one moderation act done on the SFU',
				params: RoomParamsSchema,
				body: EntryBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			if (!(await roomsRepository.findWithHost(request.params.id))) {
				throw new NotFoundError('room');
			}
			await moderationLog.insert(request.params.id, request.body);
			reply.code(204);
		}
	);
};

export default internalModeration;
