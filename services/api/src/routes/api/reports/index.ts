import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateReportBodySchema, ReportSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, NotFoundError } from '../../../errors.js';
import { requireUser } from '../../../plugins/app/authentication.js';
import { Security } from '../../../plugins/external/swagger.js';
import { CommonErrors, UuidSchema } from '../../../schemas/common.js';

const Body = Type.Object(
	{
		...CreateReportBodySchema.properties,
		userId: UuidSchema,
		roomId: Type.Optional(UuidSchema),
		messageId: Type.Optional(UuidSchema),
	},
	{ additionalProperties: false }
);

/** `POST /api/reports`: anyone signed in reports a person or a message; the room's moderators see it live. */
const reportsRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { reports, usersRepository, roomEvents, db } = app;

	app.post(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'createReport',
				summary:
					"Report a person or one of their chat messages, with a reason (to the room's moderators and the admins)",
				security: [...Security.user],
				body: Body,
				response: { 201: ReportSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const me = requireUser(request);
			const { userId, roomId, messageId, reason } = request.body;
			if (userId === me) {
				throw new ConflictError('you cannot report yourself');
			}
			if (!(await usersRepository.findById(userId))) {
				throw new NotFoundError('user');
			}
			if (
				roomId &&
				!(await db.selectFrom('rooms').select('id').where('id', '=', roomId).executeTakeFirst())
			) {
				throw new NotFoundError('room');
			}
			if (messageId) {
				const message = await db
					.selectFrom('chat_messages')
					.select(['user_id', 'room_id'])
					.where('id', '=', messageId)
					.executeTakeFirst();
				if (!message || message.user_id !== userId || (roomId && message.room_id !== roomId)) {
					throw new NotFoundError('message');
				}
			}
			const report = await reports.create({
				reporterId: me,
				targetId: userId,
				roomId: roomId ?? null,
				messageId: messageId ?? null,
				reason,
			});
			if (roomId) {
				await roomEvents.publish({ type: 'room.report', data: { roomId, report } });
			}
			reply.code(201);

			return report;
		}
	);
};

export default reportsRoute;
