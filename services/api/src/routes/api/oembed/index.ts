import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EMBED_SIZE, ErrorCode, embedIframeHtml, embedPath } from '@majlis/protocol';
import { ApiError, NotFoundError, ValidationError } from '../../../errors.js';
import { findPublicRoom } from '../../../plugins/app/share/public-room.js';
import { roomShareText } from '../../../plugins/app/share/share-cards.js';
import { ErrorResponseSchema } from '../../../schemas/common.js';
import { OEmbedQuerySchema, OEmbedResponseSchema, URL_MESSAGE } from '../../../schemas/oembed.js';

const CARD_SIZE = { width: 1200, height: 630 } as const;
const ROOM_PATH = /^\/(?:embed\/)?rooms\/([^/]+)\/?$/u;

/**
 * `GET /api/oembed`: the oEmbed provider of room pages, so blogs and CMSs turn a pasted room link into its
 * player. Anonymous (consumers fetch it server-side, without a session): private and unknown rooms are
 * 404, as for any stranger; URLs of other sites are 404 too (the spec's "no response for this URL").
 */
const oembedRoute: FastifyPluginAsyncTypebox = async (app) => {
	app.get(
		'/',
		{
			config: { auth: 'none' },
			schema: {
				tags: ['rooms'],
				operationId: 'getOEmbed',
				summary: 'oEmbed for a room page: its embeddable player as a `rich` iframe',
				querystring: OEmbedQuerySchema,
				response: {
					200: OEmbedResponseSchema,
					400: ErrorResponseSchema,
					404: ErrorResponseSchema,
					501: ErrorResponseSchema,
				},
			},
		},
		async (request, reply) => {
			const { url, maxwidth, maxheight, format } = request.query;
			if (format === 'xml') {
				throw new ApiError(501, ErrorCode.Unsupported, 'only format=json is offered');
			}
			const base = `${request.protocol}://${request.host}`;
			const target = URL.parse(url);
			if (!target) {
				// The schema's pattern lets through what only a parser can refuse (`http://[`).
				throw new ValidationError({ url: URL_MESSAGE });
			}
			const match = ROOM_PATH.exec(target.pathname);
			// Only this site's room pages (default ports compare equal through URL: http://h:80 is http://h).
			const room =
				match?.[1] && target.host === new URL(base).host
					? await findPublicRoom(app, decodeURIComponent(match[1]))
					: undefined;
			if (!room) {
				throw new NotFoundError('room');
			}
			const text = roomShareText(room);
			const width = Math.min(EMBED_SIZE.width, maxwidth ?? EMBED_SIZE.width);
			const height = Math.min(EMBED_SIZE.height, maxheight ?? EMBED_SIZE.height);
			const html = embedIframeHtml({ src: `${base}${embedPath(room.id)}`, title: room.title, width, height });
			const thumbnailFits =
				(maxwidth ?? Infinity) >= CARD_SIZE.width && (maxheight ?? Infinity) >= CARD_SIZE.height;
			reply.header('cache-control', 'public, max-age=300');

			return {
				type: 'rich' as const,
				version: '1.0' as const,
				title: room.title,
				author_name: room.host_display_name,
				author_url: `${base}/u/${encodeURIComponent(room.host_handle)}`,
				provider_name: 'Majlis' as const,
				provider_url: `${base}/`,
				html,
				width,
				height,
				cache_age: 300,
				// The spec: a thumbnail must respect maxwidth and maxheight, so a bounded card is left out.
				...(thumbnailFits
					? {
							thumbnail_url: `${base}/api/rooms/${room.id}/card.png?v=${text.version}`,
							thumbnail_width: CARD_SIZE.width,
							thumbnail_height: CARD_SIZE.height,
						}
					: {}),
			};
		}
	);
};

export default oembedRoute;
