import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorCode } from '@majlis/protocol';
import { Type } from 'typebox';
import { ApiError, ForbiddenError, NotFoundError } from '../../../errors.js';
import { AuthMode, requireUser } from '../../../plugins/app/authentication.js';
import { recordingRights } from '../../../plugins/app/recordings/recording-access.js';
import type { ByteRange } from '../../../plugins/app/recordings/recording-store.js';
import { RecordingFile } from '../../../plugins/app/recordings/recordings-repository.js';
import { Security } from '../../../plugins/external/swagger.js';
import { CommonErrors, ErrorResponseSchema, NoContentSchema, UuidSchema } from '../../../schemas/common.js';

const FileSchema = Type.Unsafe<Readable>({
	type: 'string',
	format: 'binary',
	description: 'The file: Ogg/Opus audio, or JSON for the timeline and peaks',
});

/** The byte range a `Range: bytes=…` header asks of a file of `size` bytes; null for all, 'bad' if unsatisfiable. */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'bad' {
	if (!header) {
		return null;
	}
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (match[1] === '' && match[2] === '')) {
		return 'bad';
	}
	let start: number;
	let end: number;
	if (match[1] === '') {
		start = Math.max(0, size - Number(match[2]));
		end = size - 1;
	} else {
		start = Number(match[1]);
		end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	}

	return start > end || start >= size ? 'bad' : { start, end };
}

function contentType(name: string): string {
	return name.endsWith('.json') ? 'application/json' : 'audio/ogg';
}

/** `/api/recordings/:id`: deleting a recording (host), and its files (signed URLs, range requests). */
const recordings: FastifyPluginAsyncTypebox = async (app) => {
	const { recordingsRepository: repo, roomsRepository, recordingStore: store, recordingUrls } = app;

	app.delete(
		'/:id',
		{
			schema: {
				tags: ['recordings'],
				operationId: 'deleteRecording',
				summary: 'Delete a recording: its files and rows (host)',
				security: [...Security.user],
				params: Type.Object({ id: UuidSchema }),
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			const row = await repo.find(request.params.id);
			if (!row) {
				throw new NotFoundError('recording');
			}
			const rights = await recordingRights(roomsRepository, row.room_id, userId);
			if (!rights.delete) {
				throw new ForbiddenError('only the host deletes recordings');
			}
			await store.delete(row.id);
			await repo.delete(row.id);
			reply.code(204);
		}
	);

	app.get(
		'/:id/files/:name',
		{
			config: { auth: AuthMode.None },
			schema: {
				tags: ['recordings'],
				operationId: 'getRecordingFile',
				summary:
					'A file of a recording (mix, track, timeline, peaks) through its signed URL; Range gives 206',
				params: Type.Object({ id: UuidSchema, name: Type.String({ maxLength: 100 }) }),
				querystring: Type.Object({ exp: Type.Integer(), sig: Type.String({ maxLength: 100 }) }),
				// The file is streamed as it is (Fastify serializes only objects), so these only document it.
				response: {
					200: FileSchema,
					206: FileSchema,
					403: ErrorResponseSchema,
					404: ErrorResponseSchema,
					416: ErrorResponseSchema,
				},
			},
		},
		async (request, reply) => {
			const { id, name } = request.params;
			const { exp, sig } = request.query;
			if (!recordingUrls.check(id, name, exp, sig)) {
				throw new ForbiddenError('this link is not valid (any more)');
			}
			const row = await repo.find(id);
			const size =
				row && (row.state === 'ready' || row.state === 'partial') ? await store.size(id, name) : null;
			if (size === null) {
				throw new NotFoundError('recording file');
			}
			const range = parseRange(request.headers.range, size);
			if (range === 'bad') {
				reply.header('content-range', `bytes */${size}`);
				throw new ApiError(416, ErrorCode.BadRequest, 'range not satisfiable');
			}
			if (name === RecordingFile.Mix && (range === null || range.start === 0)) {
				await repo.play(id, null);
			}
			reply.header('accept-ranges', 'bytes').header('content-type', contentType(name));
			reply.header('cache-control', 'private, max-age=3600');
			if (range) {
				reply
					.code(206)
					.header('content-range', `bytes ${range.start}-${range.end}/${size}`)
					.header('content-length', String(range.end - range.start + 1));
			} else {
				reply.header('content-length', String(size));
			}

			return reply.send(await store.read(id, name, range ?? undefined));
		}
	);
};

export default recordings;
