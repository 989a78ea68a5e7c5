import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, ReminderStateSchema, Role, type ReminderState } from '@majlis/protocol';
import { ConflictError } from '../../../../../errors.js';
import { requireUser } from '../../../../../plugins/app/authentication.js';
import type { AuthorizedRoom } from '../../../../../plugins/app/rooms/room-access.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

const STAFF: readonly (Role | null)[] = [Role.Host, Role.Cohost, Role.Moderator];

/** `/api/rooms/:id/reminder`: "remind me when it starts" on a scheduled room; staff see how many asked. */
const reminderRoute: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, reminders } = app;

	async function state(room: AuthorizedRoom, userId: string): Promise<ReminderState> {
		const id = room.row.id;

		return {
			reminded: await reminders.has(id, userId),
			count: STAFF.includes(room.role) ? await reminders.count(id) : null,
		};
	}

	const schema = (operationId: string, summary: string) => ({
		tags: ['notifications'],
		operationId,
		summary,
		security: [...Security.user],
		params: RoomParamsSchema,
		response: { 200: ReminderStateSchema, ...CommonErrors },
	});

	app.get(
		'',
		{ schema: schema('getReminder', 'Whether you asked to be reminded (and, for staff, how many did)') },
		async (request) => {
			const userId = requireUser(request);

			return state(await roomAccess.read(request.params.id, userId, RoomAction.View), userId);
		}
	);

	app.put(
		'',
		{ schema: schema('addReminder', 'Remind me when this scheduled room starts') },
		async (request) => {
			const userId = requireUser(request);
			const room = await roomAccess.read(request.params.id, userId, RoomAction.View);
			if (room.row.state !== 'scheduled') {
				throw new ConflictError('only a scheduled room can be reminded of', ErrorCode.InvalidState);
			}
			await reminders.add(room.row.id, userId);

			return state(room, userId);
		}
	);

	app.delete(
		'',
		{ schema: schema('removeReminder', 'No longer remind me of this room') },
		async (request) => {
			const userId = requireUser(request);
			const room = await roomAccess.read(request.params.id, userId, RoomAction.View);
			await reminders.remove(room.row.id, userId);

			return state(room, userId);
		}
	);
};

export default reminderRoute;
