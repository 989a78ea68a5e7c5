import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isSfuNodeAlive, parseSfuNodes, RecordingViewSchema, SFU_NODES_KEY } from '@majlis/protocol';
import { Type } from 'typebox';
import { ConflictError, ForbiddenError } from '../../../../../errors.js';
import { AuthMode, requireUser } from '../../../../../plugins/app/authentication.js';
import { RoomAction } from '../../../../../plugins/app/authorization.js';
import { recordingRights } from '../../../../../plugins/app/recordings/recording-access.js';
import { recordingView } from '../../../../../plugins/app/recordings/recordings-repository.js';
import { Security } from '../../../../../plugins/external/swagger.js';
import { CommonErrors, RoomParamsSchema } from '../../../../../schemas/common.js';

// A recording whose room ended this long ago without the SFU finishing it lost its node.
const UNFINISHED_AFTER_MS = 2 * 60 * 1000;

/** `/api/rooms/:id/recordings`: a room's recordings, and whether the room is recorded. */
const roomRecordings: FastifyPluginAsyncTypebox = async (app) => {
	const { recordingsRepository: repo, roomsRepository, roomAccess, recordingUrls } = app;

	app.get(
		'',
		{
			config: { auth: AuthMode.Optional },
			schema: {
				tags: ['recordings'],
				operationId: 'listRecordings',
				summary: "The room's recordings (tracks per speaker for the host and co-hosts)",
				params: RoomParamsSchema,
				response: { 200: Type.Object({ items: Type.Array(RecordingViewSchema) }), ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const rights = await recordingRights(roomsRepository, id, request.userId);
			const context = await roomsRepository.context(id, request.userId);
			const endedAt = context?.row.ended_at?.getTime();
			if (endedAt !== undefined && Date.now() - endedAt > UNFINISHED_AFTER_MS) {
				await repo.markUnfinished(id);
			}
			let rows = await repo.list(id);
			// A recording whose node left the registry was lost with it (the room may live on elsewhere).
			const nodes = parseSfuNodes(await app.bus.hgetall(SFU_NODES_KEY));
			const lost = rows.filter(
				(r) =>
					r.state === 'recording' &&
					r.node_id !== null &&
					!nodes.some((n) => n.id === r.node_id && isSfuNodeAlive(n, Date.now()))
			);
			if (lost.length > 0) {
				await repo.markLost(lost.map((r) => r.id));
				rows = await repo.list(id);
			}
			const tracks = rights.tracks ? await repo.tracks(rows.map((r) => r.id)) : [];

			return {
				items: rows.map((row) =>
					recordingView(
						recordingUrls,
						row,
						rights.tracks ? tracks.filter((t) => t.recording_id === row.id) : null
					)
				),
			};
		}
	);

	app.put(
		'/setting',
		{
			schema: {
				tags: ['recordings'],
				operationId: 'setRoomRecording',
				summary: 'Schedule the room with recording on or off (host, co-hosts; until it starts)',
				security: [...Security.user],
				params: RoomParamsSchema,
				body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
				response: { 200: Type.Object({ enabled: Type.Boolean() }), ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const room = await roomAccess.read(id, requireUser(request), RoomAction.Edit);
			if (room.row.state !== 'scheduled') {
				throw new ConflictError('recording is chosen before the room starts');
			}
			await repo.setEnabled(id, request.body.enabled);

			return { enabled: request.body.enabled };
		}
	);

	app.get(
		'/setting',
		{
			config: { auth: AuthMode.Optional },
			schema: {
				tags: ['recordings'],
				operationId: 'getRoomRecording',
				summary: 'Whether the room is recorded (an invitation to speak says so)',
				params: RoomParamsSchema,
				response: { 200: Type.Object({ enabled: Type.Boolean() }), ...CommonErrors },
			},
		},
		async (request) => {
			const { id } = request.params;
			const rights = await recordingRights(roomsRepository, id, request.userId).catch(() => null);
			if (!rights) {
				throw new ForbiddenError();
			}

			return { enabled: await repo.enabled(id) };
		}
	);
};

export default roomRecordings;
