import type { FastifyInstance, FastifySchema } from 'fastify';
import { RATE_LIMITS } from '../../plugins/external/rate-limit.js';

/** Served at the root, not under `/federation`: these paths are fixed by WebFinger, NodeInfo and our actor ids. */
export const prefixOverride = '';

/** Largest activity an inbox takes (bytes): generous for a post, small enough to refuse floods. */
export const ACTIVITY_BODY_LIMIT = 256 * 1024;

/** Paths Fedify answers (`/ap/*`: actors, inboxes, followers, room objects). */
const PATHS = ['/.well-known/webfinger', '/.well-known/nodeinfo', '/nodeinfo/2.1', '/ap/*'];

/**
 * ActivityPub's routes, handed to Fedify. They exist whether or not the deployment federates, so with
 * FEDERATION off they answer 404 rather than falling through to the web client.
 */
export default async function federationRoutes(app: FastifyInstance): Promise<void> {
	// Inboxes take activity JSON in any of its media types; Fedify reads (and checks the digest of) the raw bytes.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser(
		'*',
		{ parseAs: 'buffer', bodyLimit: ACTIVITY_BODY_LIMIT },
		(_request, body, done) => {
			done(null, body);
		}
	);
	for (const url of PATHS) {
		app.route({
			method: url === '/ap/*' ? ['GET', 'POST'] : ['GET'],
			url,
			config: { rateLimit: RATE_LIMITS.federation },
			// `hide` is @fastify/swagger's flag: these are ActivityPub's, not the REST API's.
			schema: { hide: true } as FastifySchema,
			handler: async (request, reply) => {
				if (!app.federation) {
					return reply.code(404).send({ error: { code: 'not_found', message: 'no such route' } });
				}

				return app.federation.handle(request, reply);
			},
		});
	}
}
