import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autoload from '@fastify/autoload';
import { ErrorCode } from '@majlis/protocol';
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyInstance } from 'fastify';
import pg from 'pg';
import { ApiError, type FieldErrors, RateLimitedError } from './errors.js';
import type { ApiOptions } from './options.js';
import { fieldErrors } from './validation.js';

const here = fileURLToPath(new URL('.', import.meta.url));
// Unit tests live next to the code; they are not plugins.
const ignorePattern = /\.test\.ts$/;

/** The `{ error }` body and status the API answers a failure with. */
interface ErrorReply {
	status: number;
	body: { error: { code: string; message: string; fields?: FieldErrors; retryAfter?: number } };
}

const STATUS_CODES: Record<number, ErrorCode> = {
	400: ErrorCode.BadRequest,
	401: ErrorCode.Unauthorized,
	403: ErrorCode.Forbidden,
	404: ErrorCode.NotFound,
	409: ErrorCode.Conflict,
	413: ErrorCode.TooLarge,
	415: ErrorCode.Unsupported,
	429: ErrorCode.RateLimited,
};

function reply(status: number, code: string, message: string, fields?: FieldErrors): ErrorReply {
	return { status, body: { error: fields ? { code, message, fields } : { code, message } } };
}

/**
 * The one mapping from anything thrown to the wire error shape: our named errors keep their status and
 * code; schema failures become 400 with a message per field; Fastify's own 4xx (bad JSON, body too large,
 * unsupported media type…) keep their status; Postgres data exceptions caused by input are 400; anything
 * else is a 500 whose details stay in the log.
 */
function toErrorReply(error: unknown): ErrorReply {
	if (error instanceof RateLimitedError) {
		const limited = reply(error.statusCode, error.errorCode, error.message);
		limited.body.error.retryAfter = error.retryAfter;

		return limited;
	}
	if (error instanceof ApiError) {
		return reply(error.statusCode, error.errorCode, error.message, error.fields);
	}
	const fastifyError = error as Partial<FastifyError> & { validation?: ErrorObject[] };
	if (Array.isArray(fastifyError.validation)) {
		return reply(
			400,
			ErrorCode.BadRequest,
			'invalid request',
			fieldErrors(fastifyError.validation, fastifyError.validationContext ?? 'body')
		);
	}
	if (error instanceof pg.DatabaseError) {
		// Class 22 is "data exception" (a value Postgres cannot take): the input's fault, not ours.
		if (error.code?.startsWith('22')) {
			return reply(400, ErrorCode.BadRequest, 'invalid value');
		}
		if (error.code === '23505') {
			return reply(409, ErrorCode.Conflict, 'already exists');
		}
	}
	const status = fastifyError.statusCode;
	if (typeof status === 'number' && status >= 400 && status < 500) {
		return reply(status, STATUS_CODES[status] ?? ErrorCode.BadRequest, fastifyError.message ?? 'bad request');
	}

	return reply(500, ErrorCode.Internal, 'internal error');
}

/**
 * The whole API as a plugin (fastify/demo layout): infrastructure plugins, then app services
 * (repositories, authorization, placement), then the routes, plus the one error handler.
 */
export default async function serviceApp(app: FastifyInstance, opts: ApiOptions): Promise<void> {
	// Bodiless POSTs (start, end, join) from clients that always send `Content-Type: application/json`
	// are fine; everything else goes to Fastify's parser, which refuses prototype poisoning.
	const json = app.getDefaultJsonParser('error', 'error');
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
		const text = typeof body === 'string' ? body : body.toString('utf8');
		if (text.trim() === '') {
			done(null, undefined);

			return;
		}
		json(request, text, done);
	});

	// Before any plugin: routes take the error handler of their context when they are registered.
	app.setErrorHandler((error, request, res) => {
		const { status, body } = toErrorReply(error);
		if (status >= 500) {
			request.log.error({ err: error }, 'request failed');
		} else {
			request.log.info({ status, code: body.error.code }, body.error.message);
		}
		if (body.error.retryAfter !== undefined) {
			res.header('retry-after', String(body.error.retryAfter));
		}
		res.code(status).send(body);
	});
	app.setNotFoundHandler((_request, res) => {
		res.code(404).send({ error: { code: ErrorCode.NotFound, message: 'no such route' } });
	});

	// Infrastructure first: the app plugins and routes depend on it.
	await app.register(autoload, { dir: join(here, 'plugins/external'), options: opts, ignorePattern });
	await app.register(autoload, { dir: join(here, 'plugins/app'), options: opts, ignorePattern });

	await app.register(autoload, {
		dir: join(here, 'routes'),
		// Folders named `_param` become `:param` path segments (routes/api/rooms/_id → /api/rooms/:id).
		routeParams: true,
		autoHooks: true,
		cascadeHooks: true,
		options: opts,
		ignorePattern,
	});
}
