import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { findPublicRoom } from './plugins/app/share/public-room.js';
import { profileShareText, roomShareText } from './plugins/app/share/share-cards.js';

/** How {@link registerSharePages} serves the web client's pages. */
export interface SharePagesOptions {
	/** The built web client's index.html, into which the tags are written. */
	indexHtml: string;
	/** The URL people open (PUBLIC_URL); without it, the request's own origin. */
	publicUrl?: string | undefined;
}

interface ShareTags {
	title: string;
	description: string;
	image: string;
	url: string;
	type: 'website' | 'profile';
	locale: 'ar_AR' | 'en_US';
	/** The page's oEmbed endpoint (discovery link), for rooms that may be embedded. */
	oembed?: string;
}

const GENERIC_DESCRIPTION = 'Majlis: live audio rooms';

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `indexHtml` with Open Graph and Twitter card tags in its head (its own title and description
 * replaced), so link previews work without running the page's JavaScript; the app still boots from it.
 */
export function injectShareTags(indexHtml: string, tags: ShareTags): string {
	const meta = (attribute: 'property' | 'name', key: string, value: string) =>
		`<meta ${attribute}="${key}" content="${escapeHtml(value)}" />`;
	const block = [
		`<title>${escapeHtml(tags.title)}</title>`,
		meta('name', 'description', tags.description),
		meta('property', 'og:site_name', 'Majlis'),
		meta('property', 'og:title', tags.title),
		meta('property', 'og:description', tags.description),
		meta('property', 'og:image', tags.image),
		meta('property', 'og:image:width', '1200'),
		meta('property', 'og:image:height', '630'),
		meta('property', 'og:url', tags.url),
		meta('property', 'og:type', tags.type),
		meta('property', 'og:locale', tags.locale),
		meta('name', 'twitter:card', 'summary_large_image'),
		meta('name', 'twitter:title', tags.title),
		meta('name', 'twitter:description', tags.description),
		meta('name', 'twitter:image', tags.image),
		...(tags.oembed
			? [
					`<link rel="alternate" type="application/json+oembed" href="${escapeHtml(tags.oembed)}" title="${escapeHtml(tags.title)}" />`,
				]
			: []),
	].join('\n\t\t');

	return indexHtml
		.replace(/<title>[^<]*<\/title>\s*/u, '')
		.replace(/<meta name="description"[^>]*>\s*/u, '')
		.replace('</head>', `\t${block}\n\t</head>`);
}

/**
 * Serves `/rooms/:id` and `/u/:handle` as the web client's index.html with share tags: a room's title,
 * host, time and state, its drawn card and its oEmbed discovery link; generic tags for private, unknown
 * or deleted ones (a private room's title never leaves the server this way). Used by the launcher wherever it serves the web client.
 */
export async function registerSharePages(app: FastifyInstance, options: SharePagesOptions): Promise<void> {
	const origin = (request: FastifyRequest) =>
		(options.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
	const generic = (base: string, path: string): ShareTags => ({
		title: 'Majlis',
		description: GENERIC_DESCRIPTION,
		image: `${base}/icons/apple-touch-icon.png`,
		url: `${base}${path}`,
		type: 'website',
		locale: 'en_US',
	});
	// `hide` is @fastify/swagger's flag: these are pages, not API routes.
	const schema = { hide: true } as FastifySchema;

	app.get<{ Params: { id: string } }>('/rooms/:id', { schema }, async (request, reply) => {
		const base = origin(request);
		const path = `/rooms/${encodeURIComponent(request.params.id)}`;
		let tags = generic(base, path);
		// Judged as an anonymous visitor: a crawler has no session, and a private room is never previewed.
		const room = await findPublicRoom(app, request.params.id);
		if (room) {
			const text = roomShareText(room);
			const url = `${base}/rooms/${room.id}`;
			tags = {
				title: text.title,
				description: text.description,
				image: `${base}/api/rooms/${room.id}/card.png?v=${text.version}`,
				url,
				type: 'website',
				locale: text.language === 'ar' ? 'ar_AR' : 'en_US',
				oembed: `${base}/api/oembed?url=${encodeURIComponent(url)}&format=json`,
			};
		}

		return reply
			.type('text/html; charset=utf-8')
			.header('cache-control', 'no-cache')
			.send(injectShareTags(options.indexHtml, tags));
	});

	app.get<{ Params: { handle: string } }>('/u/:handle', { schema }, async (request, reply) => {
		const base = origin(request);
		const path = `/u/${encodeURIComponent(request.params.handle)}`;
		let tags = generic(base, path);
		const user = await app.usersRepository.findProfile(request.params.handle);
		if (user) {
			const text = profileShareText(user);
			tags = {
				...tags,
				title: text.title,
				description: text.description,
				image: `${base}/api/users/${encodeURIComponent(user.handle)}/card.png?v=${text.version}`,
				type: 'profile',
				locale: text.language === 'ar' ? 'ar_AR' : 'en_US',
			};
		}

		return reply
			.type('text/html; charset=utf-8')
			.header('cache-control', 'no-cache')
			.send(injectShareTags(options.indexHtml, tags));
	});
}
