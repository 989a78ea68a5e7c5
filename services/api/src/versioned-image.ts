import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

/** `?v=`: the version an image URL names, so a new image gets a new URL. */
export const ImageVersionQuerySchema = Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) });

/**
 * The 200 and 304 replies of an image route. The image is sent as bytes (Fastify serializes only
 * objects): the schema only documents it.
 */
export function imageResponses(format: 'PNG' | 'WebP') {
	return {
		200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: `the ${format} image` }),
		304: Type.Unsafe<undefined>({ description: 'not modified' }),
	};
}

/**
 * Replies with the image of `version` (its ETag) and `cacheControl`: an empty 304 when the request's
 * If-None-Match names that version already, else `image()` as `type`.
 */
export function sendVersionedImage(
	request: FastifyRequest,
	reply: FastifyReply,
	{ version, type, cacheControl }: { version: string; type: string; cacheControl: string },
	image: () => Buffer
): FastifyReply {
	const etag = `"${version}"`;
	reply.header('etag', etag).header('cache-control', cacheControl);
	if (request.headers['if-none-match'] === etag) {
		return reply.code(304).send();
	}

	return reply.type(type).send(image());
}
