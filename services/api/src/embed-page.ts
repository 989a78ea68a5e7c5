import type { FastifyInstance, FastifySchema } from 'fastify';
import { CSP_DIRECTIVES } from './plugins/external/helmet.js';

/** How {@link registerEmbedPage} serves the embeddable player. */
export interface EmbedPageOptions {
	/** The built web client's index.html (the player is a route of the same app). */
	indexHtml: string;
	/** CSP `frame-ancestors` sources of the player (EMBED_FRAME_ANCESTORS); default `*`, any site. */
	frameAncestors?: readonly string[];
}

/**
 * Serves `/embed/rooms/:id`, the compact player made for an `<iframe>` on other sites: the web client's
 * index.html under a CSP whose `frame-ancestors` lets those sites frame it, and without X-Frame-Options
 * (which cannot name other sites and would override the CSP in old browsers). Every other page keeps
 * helmet's `frame-ancestors 'self'` and `X-Frame-Options: SAMEORIGIN`. The page is kept out of search
 * results: the room's own page is the one to index.
 */
export async function registerEmbedPage(app: FastifyInstance, options: EmbedPageOptions): Promise<void> {
	const html = options.indexHtml.replace('</head>', '\t<meta name="robots" content="noindex" />\n\t</head>');
	app.get<{ Params: { id: string } }>(
		'/embed/rooms/:id',
		{
			// `hide` is @fastify/swagger's flag: a page, not an API route.
			schema: { hide: true } as FastifySchema,
			helmet: {
				frameguard: false,
				contentSecurityPolicy: {
					directives: { ...CSP_DIRECTIVES, frameAncestors: [...(options.frameAncestors ?? ['*'])] },
				},
			},
		},
		async (_request, reply) =>
			reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html)
	);
}
