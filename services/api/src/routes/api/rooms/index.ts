import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, JoinResponseSchema, RoomSchema, roomLiveKey, speaksByDefault } from '@majlis/protocol';
import { ConflictError, UnauthorizedError } from '../../../errors.js';
import { requireUser } from '../../../plugins/app/authentication.js';
import { minMaxSpeakers, RoomAction } from '../../../plugins/app/authorization.js';
import { toLiveRoomInfo } from '../../../plugins/app/rooms/room-events.js';
import { loadRoomSnapshot } from '../../../plugins/app/rooms/room-snapshot.js';
import { createRoomInput, updateRoomInput } from '../../../plugins/app/rooms/room-input.js';
import { isOnLiveStage } from '../../../plugins/app/sfu/placement.js';
import { RATE_LIMITS } from '../../../plugins/external/rate-limit.js';
import { Security } from '../../../plugins/external/swagger.js';
import {
	CommonErrors,
	ErrorResponseSchema,
	NoContentSchema,
	RoomParamsSchema,
} from '../../../schemas/common.js';
import {
	CreateRoomBodySchema,
	ListRoomsQuerySchema,
	PAGE_SIZE,
	RoomPageSchema,
	UpdateRoomBodySchema,
} from '../../../schemas/rooms.js';

/** Rooms: create, list, read, edit, cancel, start, end, join. */
const rooms: FastifyPluginAsyncTypebox = async (app) => {
	const { roomAccess, roomsRepository, roomViews, roomEvents, roomQuotas, moderationLog } = app;

	app.post(
		'',
		{
			config: { rateLimit: RATE_LIMITS.createRoom },
			schema: {
				tags: ['rooms'],
				operationId: 'createRoom',
				summary: 'Create (schedule) a room; the caller is its host',
				security: [...Security.user],
				body: CreateRoomBodySchema,
				response: {
					201: RoomSchema,
					400: ErrorResponseSchema,
					401: ErrorResponseSchema,
					409: ErrorResponseSchema,
				},
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			const now = new Date();
			const input = createRoomInput(request.body, now);
			const row = await app.db.transaction().execute(async (trx) => {
				await roomQuotas.assertCanSchedule(trx, userId);

				return roomsRepository.insert(
					{
						host_id: userId,
						title: input.title,
						description: input.description,
						topics: input.topics,
						scheduled_for: input.scheduledFor,
						visibility: input.visibility,
						speak_requests: input.speakRequests,
						max_speakers: input.maxSpeakers,
						chat: input.chat,
						language: input.language,
						state: 'scheduled',
						created_at: now,
						updated_at: now,
					},
					trx
				);
			});
			reply.code(201);
			await app.webhooks.emit('room.scheduled', row.id);
			// Reach: followers hear of the new room.
			await app.notifier.roomScheduled(row.id);

			return roomViews.one(row.id, userId);
		}
	);

	app.get(
		'',
		{
			config: { auth: 'optional', rateLimit: RATE_LIMITS.listRooms },
			schema: {
				tags: ['rooms'],
				operationId: 'listRooms',
				summary: 'List rooms',
				description:
					'Public rooms plus private rooms the caller belongs to (unlisted rooms are never listed). ' +
					'Live rooms by listener count, then scheduled rooms by planned start; ended rooms only with state=ended.',
				querystring: ListRoomsQuerySchema,
				response: { 200: RoomPageSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
			},
		},
		async (request) => {
			const { state, topic, host, q, language, cursor, limit } = request.query;

			return app.roomListing.list(
				{ state, topic, hostHandle: host, q, language, cursor, limit: limit ?? PAGE_SIZE.default },
				request.userId
			);
		}
	);

	app.get(
		'/:id',
		{
			config: { auth: 'optional' },
			schema: {
				tags: ['rooms'],
				operationId: 'getRoom',
				summary: 'A room, with host, co-hosts, moderators and the caller’s role',
				params: RoomParamsSchema,
				response: {
					200: RoomSchema,
					400: ErrorResponseSchema,
					401: ErrorResponseSchema,
					404: ErrorResponseSchema,
				},
			},
		},
		async (request) => {
			await roomAccess.read(request.params.id, request.userId, RoomAction.View);

			return roomViews.one(request.params.id, request.userId);
		}
	);

	app.patch(
		'/:id',
		{
			schema: {
				tags: ['rooms'],
				operationId: 'updateRoom',
				summary: 'Edit settings (host, co-hosts)',
				security: [...Security.user],
				params: RoomParamsSchema,
				body: UpdateRoomBodySchema,
				response: { 200: RoomSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const { id } = request.params;
			const patch = updateRoomInput(request.body, new Date());
			const row = await roomAccess.change(id, userId, RoomAction.Edit, async (trx, room) => {
				if (patch.scheduled_for !== undefined && room.row.state !== 'scheduled') {
					throw new ConflictError(
						'the start time can only change before the room starts',
						ErrorCode.InvalidState,
						{
							scheduledFor: 'can only change while the room is scheduled',
						}
					);
				}
				const min = minMaxSpeakers(room.room);
				if (patch.max_speakers !== undefined && patch.max_speakers < min) {
					throw new ConflictError('the stage must fit the host and co-hosts', ErrorCode.Conflict, {
						maxSpeakers: `must be at least ${min} (host and co-hosts)`,
					});
				}

				if (Object.keys(patch).length === 0) {
					return null;
				}
				// Reach: calendars see a changed event (SEQUENCE) when its time or text changes.
				await app.calendars.bumpSequence(id, patch, trx);
				const updated = await roomsRepository.update(id, patch, trx);

				return { updated, wasPublic: room.row.visibility === 'public' };
			});
			if (row) {
				await roomEvents.publish({
					type: 'room.updated',
					data: { roomId: id, room: toLiveRoomInfo(row.updated) },
				});
				// Reach: a public room made private or unlisted is retracted from the fediverse; an edited one is resent.
				if (row.wasPublic && row.updated.visibility !== 'public') {
					await app.federation?.roomWithdrawn(row.updated);
				} else if (
					app.federation &&
					(patch.title ?? patch.description ?? patch.scheduled_for) !== undefined
				) {
					const snapshot = await loadRoomSnapshot(app.db, id);
					if (snapshot) {
						await app.federation.roomEdited(snapshot);
					}
				}
			}

			return roomViews.one(id, userId);
		}
	);

	app.delete(
		'/:id',
		{
			schema: {
				tags: ['rooms'],
				operationId: 'deleteRoom',
				summary: 'Cancel a scheduled room (host)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			const cancelled = await roomAccess.change(
				id,
				requireUser(request),
				RoomAction.Cancel,
				async (trx, room) => {
					// Reach: calendars learn of the cancellation (STATUS:CANCELLED) after the row is gone.
					await app.calendars.recordCancellation(room.row, trx);
					// Reach: a cancelled occurrence of a series hands over to the next one.
					await app.series.roomCancelled(room.row, trx);
					await roomsRepository.remove(id, trx);

					return room.row;
				}
			);
			// Reach: what the fediverse got of a public room is retracted.
			if (cancelled.visibility === 'public') {
				await app.federation?.roomWithdrawn(cancelled);
			}
			reply.code(204);
		}
	);

	app.post(
		'/:id/start',
		{
			config: { rateLimit: RATE_LIMITS.startRoom },
			schema: {
				tags: ['rooms'],
				operationId: 'startRoom',
				summary: 'Go live (host, co-hosts)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: RoomSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const { id } = request.params;
			await roomAccess.change(id, userId, RoomAction.Start, async (trx, room) => {
				await roomQuotas.assertCanGoLive(trx, room.row.host_id, id);

				return roomsRepository.update(id, { state: 'live', started_at: new Date() }, trx);
			});
			await app.webhooks.emit('room.started', id);
			// Reach: reminders and followers.
			await app.notifier.roomStarted(id, userId);
			// Reach: a repeating room's next occurrence.
			await app.series.roomStarted(id);

			return roomViews.one(id, userId);
		}
	);

	app.post(
		'/:id/end',
		{
			schema: {
				tags: ['rooms'],
				operationId: 'endRoom',
				summary: 'End a live room for everyone (host)',
				security: [...Security.user],
				params: RoomParamsSchema,
				response: { 200: RoomSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const { id } = request.params;
			await roomAccess.change(id, userId, RoomAction.End, (trx) =>
				roomsRepository.update(id, { state: 'ended', ended_at: new Date() }, trx)
			);
			await roomEvents.publish({ type: 'room.ended', data: { roomId: id } });
			await app.webhooks.emit('room.ended', id);
			await moderationLog.record(id, { action: 'end', actorId: userId, targetId: null });
			await app.placement
				.forget(id)
				.catch((error: unknown) => request.log.warn({ err: error }, 'end | forget node'));

			return roomViews.one(id, userId);
		}
	);

	app.post(
		'/:id/join',
		{
			config: {
				auth: 'optional',
				rateLimit: {
					...RATE_LIMITS.join,
					// Without an account the key is the address alone (see the rate-limit plugin), and tighter.
					max: (request) => (request.userId ? RATE_LIMITS.join.max : RATE_LIMITS.anonymousJoin.max),
				},
			},
			schema: {
				tags: ['rooms'],
				operationId: 'joinRoom',
				summary: 'Join a live room: a ticket for the SFU node that serves it',
				description:
					'Send `ticket` as the first WebSocket message (`session:join`) to `signallingUrl`. ' +
					'When the room’s origin node is full, a plain listener is placed on another (edge) node that ' +
					'relays the stage’s audio from the origin; the ticket then names the origin in `org`. ' +
					'When TURN relays are configured, `iceServers` carries them with a short-lived credential ' +
					'(coturn’s TURN REST scheme) for the browser to use when direct media is blocked. ' +
					'503 when no audio server is alive. Without a token, a public live room gives an anonymous ' +
					'listener ticket (listen only; hands, reactions and chat need an account).',
				security: [...Security.optionalUser],
				params: RoomParamsSchema,
				response: { 200: JoinResponseSchema, ...CommonErrors, 503: ErrorResponseSchema },
			},
		},
		async (request) => {
			const { id } = request.params;
			if (request.userId === null) {
				// Reach (issue 14): an anonymous listener of a public live room; a one-off id, listen only.
				await roomAccess.read(id, null, RoomAction.Join);
				const { node, origin } = await app.placement.place(id, { stage: false });
				const ticket = await app.tokens.signTicket({
					sub: randomUUID(),
					rid: id,
					role: 'listener',
					hdl: '',
					name: '',
					sg: false,
					node: node.id,
					anon: true,
					...(node.id === origin.id ? {} : { org: origin.id }),
				});

				return { signallingUrl: node.url, ticket, role: 'listener' as const };
			}
			const userId = requireUser(request);
			const room = await roomAccess.read(id, userId, RoomAction.Join);
			const user = await app.usersRepository.findById(userId);
			if (!user || room.role === null) {
				throw new UnauthorizedError();
			}
			const speakerGuest = room.caller.guestKind === 'speaker';
			// Whoever is or may soon be on stage must join the origin, where the stage's producers live;
			// only plain listeners may go to an edge. A listener on stage or invited to speak right now is
			// known only to the SFU, through the live state it writes to the bus.
			const stage =
				room.role !== 'listener' || speakerGuest || isOnLiveStage(await app.bus.get(roomLiveKey(id)), userId);
			const { node, origin } = await app.placement.place(id, { stage });
			const ticket = await app.tokens.signTicket({
				sub: userId,
				rid: id,
				role: room.role,
				hdl: user.handle,
				name: user.displayName,
				sg: speakerGuest,
				node: node.id,
				...(node.id === origin.id ? {} : { org: origin.id }),
			});

			if (speaksByDefault(room.role) || speakerGuest) {
				await app.webhooks.emit('speaker.joined', id, {
					speaker: { id: user.id, handle: user.handle, displayName: user.displayName },
					role: room.role,
				});
			}
			// TURN: only someone allowed in gets a relay credential, and only for as long as TURN_TTL_SECONDS.
			const iceServers = app.turnCredentials(userId);

			return {
				signallingUrl: node.url,
				ticket,
				role: room.role,
				...(iceServers.length > 0 ? { iceServers } : {}),
			};
		}
	);
};

export default rooms;
