import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Role } from '@majlis/protocol';
import type { Transaction } from 'kysely';
import type { DB } from '../../../../db/schema.js';
import { ConflictError, NotFoundError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import {
	cohostProblem,
	fallbackRole,
	guestProblem,
	moderatorProblem,
	RoomAction,
	type TargetProblem,
} from '../../../../plugins/app/authorization.js';
import { Security } from '../../../../plugins/external/swagger.js';
import {
	CommonErrors,
	NoContentSchema,
	RoomParamsSchema,
	RoomUserParamsSchema,
} from '../../../../schemas/common.js';
import { GuestListSchema, PutGuestBodySchema } from '../../../../schemas/rooms.js';

/**
 * Co-hosts, moderators and the guest list of a room, under `/api/rooms/:id` (the `_id` folder is the
 * `:id` param). Changes are published to the SFU nodes.
 */
const members: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, roomsRepository, roomEvents, usersRepository, moderationLog } = app;

	async function requireTarget(userId: string, trx: Transaction<DB>): Promise<void> {
		if (!(await usersRepository.findById(userId, trx))) {
			throw new NotFoundError('user');
		}
	}

	function refuse(problem: TargetProblem | null): void {
		if (problem) {
			throw new ConflictError(problem.message, problem.code);
		}
	}

	async function guestKindOf(roomId: string, userId: string, trx: Transaction<DB>) {
		return (await roomsRepository.guestKinds([roomId], userId, trx)).get(roomId) ?? null;
	}

	const memberSchema = (operationId: string, summary: string) => ({
		tags: ['members'],
		operationId,
		summary,
		security: [...Security.user],
		params: RoomUserParamsSchema,
		response: { 204: NoContentSchema, ...CommonErrors },
	});

	for (const role of [Role.Cohost, Role.Moderator] as const) {
		const path = role === Role.Cohost ? 'cohosts' : 'moderators';
		const action = role === Role.Cohost ? RoomAction.ManageCohosts : RoomAction.ManageModerators;
		const who = role === Role.Cohost ? 'co-host (host only; at most 2)' : 'moderator (host, co-hosts)';
		const name = role === Role.Cohost ? 'Cohost' : 'Moderator';

		app.put(`/${path}/:userId`, { schema: memberSchema(`add${name}`, `Appoint a ${who}`) }, async (request, reply) => {
			const { id, userId } = request.params;
			const changed = await roomAccess.change(id, requireUser(request), action, async (trx, room) => {
				await requireTarget(userId, trx);
				refuse(role === Role.Cohost ? cohostProblem(room.room, userId) : moderatorProblem(room.room, userId));

				return (await roomsRepository.setRole(id, userId, role, request.userId, trx)) !== role;
			});
			if (changed) {
				await roomEvents.publish({ type: 'room.role', data: { roomId: id, userId, role } });
				await moderationLog.record(id, {
					action: 'roleChange',
					actorId: requireUser(request),
					targetId: userId,
					detail: role,
				});
				// Reach: the appointee is told.
				await app.notifier.appointed(role, id, requireUser(request), userId);
			}
			reply.code(204);
		});

		app.delete(`/${path}/:userId`, { schema: memberSchema(`remove${name}`, `Remove a ${who}`) }, async (request, reply) => {
			const { id, userId } = request.params;
			const fallback = await roomAccess.change(id, requireUser(request), action, async (trx) =>
				(await roomsRepository.removeRole(id, userId, role, trx))
					? fallbackRole(await guestKindOf(id, userId, trx))
					: null
			);
			if (fallback) {
				await roomEvents.publish({ type: 'room.role', data: { roomId: id, userId, role: fallback } });
				await moderationLog.record(id, {
					action: 'roleChange',
					actorId: requireUser(request),
					targetId: userId,
					detail: fallback,
				});
			}
			reply.code(204);
		});
	}

	app.get(
		'/guests',
		{
			schema: {
				tags: ['members'],
				operationId: 'listGuests',
				summary: 'The guest list (host, co-hosts, moderators)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: GuestListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			await roomAccess.read(id, requireUser(request), RoomAction.ViewGuests);

			return roomsRepository.guests(id);
		}
	);

	app.put(
		'/guests/:userId',
		{
			schema: {
				tags: ['members'],
				operationId: 'putGuest',
				summary: 'Add or change a guest (speaker guests may come on stage without raising a hand)',
				security: [...Security.user],
				params: RoomUserParamsSchema,
				body: PutGuestBodySchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id, userId } = request.params;
			const { kind } = request.body;
			const changed = await roomAccess.change(
				id,
				requireUser(request),
				RoomAction.ManageGuests,
				async (trx, room) => {
					await requireTarget(userId, trx);
					refuse(guestProblem(room.room, userId));

					return (await roomsRepository.setGuest(id, userId, kind, request.userId, trx)) !== kind;
				}
			);
			if (changed) {
				await roomEvents.publish({ type: 'room.guest', data: { roomId: id, userId, kind } });
				// Reach: the guest is told.
				await app.notifier.appointed('guest', id, requireUser(request), userId);
			}
			reply.code(204);
		}
	);

	app.delete(
		'/guests/:userId',
		{ schema: memberSchema('removeGuest', 'Remove a guest (host, co-hosts, moderators)') },
		async (request, reply) => {
			const { id, userId } = request.params;
			const removed = await roomAccess.change(id, requireUser(request), RoomAction.ManageGuests, (trx) =>
				roomsRepository.removeGuest(id, userId, trx)
			);
			if (removed) {
				await roomEvents.publish({ type: 'room.guest', data: { roomId: id, userId, kind: null } });
			}
			reply.code(204);
		}
	);
};

export default members;
