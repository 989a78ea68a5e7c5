import type { FastifyReply, FastifyRequest } from 'fastify';

/** Fastify's request as a fetch `Request` at `origin` (the deployment's public URL), for Fedify. */
export function toFetchRequest(request: FastifyRequest, origin: string): Request {
	const url = new URL(request.url, origin);
	const headers = new Headers();
	for (const [name, value] of Object.entries(request.headers)) {
		if (Array.isArray(value)) {
			for (const v of value) {
				headers.append(name, v);
			}
		} else if (value !== undefined) {
			headers.set(name, value);
		}
	}
	// Signatures name the host the sender addressed: the public one, whatever a proxy passed on.
	headers.set('host', url.host);
	const body = request.body;

	return new Request(url, {
		method: request.method,
		headers,
		body: Buffer.isBuffer(body) && request.method !== 'GET' && request.method !== 'HEAD' ? body : null,
	});
}

/** Sends Fedify's `Response` through Fastify's reply. */
export async function sendFetchResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
	reply.code(response.status);
	response.headers.forEach((value, name) => {
		reply.header(name, value);
	});

	return reply.send(Buffer.from(await response.arrayBuffer()));
}
