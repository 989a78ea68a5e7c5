import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InternalRoomTallySchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../../../errors.js';
import {
	CommonErrors,
	NoContentSchema,
	RoomParamsSchema,
	UuidSchema,
} from '../../../../../../schemas/common.js';

// The speaker ids with the strict UUID pattern (protocol's IdSchema uses `format: uuid` only).
const TallyBody = Type.Object(
	{
		...InternalRoomTallySchema.properties,
		speakers: Type.Array(
			Type.Object(
				{ userId: UuidSchema, speakingMs: Type.Integer({ minimum: 0 }) },
				{ additionalProperties: false }
			),
			{ maxItems: 1000 }
		),
	},
	{ additionalProperties: false }
);

/** `POST /api/internal/rooms/:id/analytics`: the SFU reports what it counted when the room ended. */
const internalRoomAnalytics: FastifyPluginAsyncTypebox = async (app) => {
	const { analyticsRepository, roomsRepository } = app;

	app.post(
		'',
		{
			schema: {
				operationId: 'internalReportAnalytics',
				summary: 'What the SFU counted in a room (peak, distinct people, hands, speaking time)',
				params: RoomParamsSchema,
				body: TallyBody,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			if (!(await roomsRepository.context(id, null))) {
				throw new NotFoundError('room');
			}
			await analyticsRepository.saveTally(id, request.body);
			reply.code(204);
		}
	);
};

export default internalRoomAnalytics;
