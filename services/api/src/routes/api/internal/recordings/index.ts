import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode, InternalFinishRecordingSchema } from '@majlis/protocol';
import { Type } from 'typebox';
import { ApiError, NotFoundError } from '../../../../errors.js';
import { isSafeFileName } from '../../../../plugins/app/recordings/recording-store.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

const Params = Type.Object({ id: UuidSchema });

/** SFU → API: the files of a finished capture, then its state, duration, tracks and timeline. */
const internalRecordings: FastifyPluginAsyncTypebox = async (app) => {
	const { recordingsRepository: repo, recordingStore: store } = app;
	// Files are streamed to the store as they come, whatever their size.
	app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

	app.put(
		'/:id/files/:name',
		{
			bodyLimit: 2 * 1024 * 1024 * 1024,
			schema: {
				operationId: 'internalPutRecordingFile',
				summary: 'Store one file of a recording (mix, track, timeline, peaks)',
				params: Type.Object({ ...Params.properties, name: Type.String({ maxLength: 100 }) }),
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id, name } = request.params;
			if (!isSafeFileName(name)) {
				throw new ApiError(400, ErrorCode.BadRequest, 'invalid file name');
			}
			if (!(await repo.find(id))) {
				throw new NotFoundError('recording');
			}
			await store.put(id, name, request.body as Readable);
			reply.code(204);
		}
	);

	app.post(
		'/:id/processing',
		{
			schema: {
				operationId: 'internalRecordingProcessing',
				summary: 'The capture stopped: the recording is being mixed (listed `processing`, not yet served)',
				params: Params,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			if (!(await repo.find(id))) {
				throw new NotFoundError('recording');
			}
			await repo.processing(id);
			reply.code(204);
		}
	);

	app.post(
		'/:id/finish',
		{
			bodyLimit: 16 * 1024 * 1024,
			schema: {
				operationId: 'internalFinishRecording',
				summary: 'Mark a recording ready, partial or failed, with its tracks and timeline',
				params: Params,
				body: InternalFinishRecordingSchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const { id } = request.params;
			const recording = await repo.find(id);
			if (!recording) {
				throw new NotFoundError('recording');
			}
			await repo.finish(id, request.body);
			if (request.body.state === 'ready' || request.body.state === 'partial') {
				await app.webhooks.emit('recording.ready', recording.room_id, {
					recording: { id, state: request.body.state, durationMs: request.body.durationMs },
				});
				// Reach: a replay people can play is ready.
				await app.notifier.replayReady(recording.room_id);
			}
			reply.code(204);
		}
	);
};

export default internalRecordings;
