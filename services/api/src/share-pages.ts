import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { authorize, RoomAction } from './plugins/app/authorization.js';
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
	].join('\n\t\t');

	return indexHtml
		.replace(/<title>[^<]*<\/title>\s*/u, '')
		.replace(/<meta name="description"[^>]*>\s*/u, '')
		.replace('</head>', `\t${block}\n\t</head>`);
}

/**
 * Serves `/rooms/:id` and `/u/:handle` as the web client's index.html with share tags: a room's title,
 * host, time and state and its drawn card; generic tags for private, unknown or deleted ones (a private
 * room's title never leaves the server this way). Used by the launcher wherever it serves the web client.
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
	async function visibleToAnyone(roomId: string): Promise<boolean> {
		const context = await app.roomsRepository.context(roomId, null);
		if (!context) {
			return false;
		}
		try {
			// Allowed when it does not throw (an anonymous viewer holds no role, hence null).
			authorize(context.room, context.caller, RoomAction.View);

			return true;
		} catch {
			// The rules refuse by throwing (404 for a room this caller may not see).
			return false;
		}
	}
	// `hide` is @fastify/swagger's flag: these are pages, not API routes.
	const schema = { hide: true } as FastifySchema;

	app.get<{ Params: { id: string } }>('/rooms/:id', { schema }, async (request, reply) => {
		const base = origin(request);
		const path = `/rooms/${encodeURIComponent(request.params.id)}`;
		let tags = generic(base, path);
		const room = /^[0-9a-f-]{36}$/iu.test(request.params.id)
			? await app.roomsRepository.findWithHost(request.params.id)
			: undefined;
		// Judged as an anonymous visitor: a crawler has no session, and a private room is never previewed.
		if (room && room.visibility !== 'private') {
			if (await visibleToAnyone(room.id)) {
				const text = roomShareText(room);
				tags = {
					title: text.title,
					description: text.description,
					image: `${base}/api/rooms/${room.id}/card.png?v=${text.version}`,
					url: `${base}/rooms/${room.id}`,
					type: 'website',
					locale: text.language === 'ar' ? 'ar_AR' : 'en_US',
				};
			}
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
