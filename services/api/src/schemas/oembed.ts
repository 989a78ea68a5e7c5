import { Type } from 'typebox';
import { ERROR_MESSAGE_KEYWORD } from '../validation.js';

/** What is wrong with a `url` that is not a web address. */
export const URL_MESSAGE = 'must be the http(s) address of a room page (…/rooms/<id>)';

/** `GET /api/oembed` query: the oEmbed spec's parameters (https://oembed.com, section 2.2). */
export const OEmbedQuerySchema = Type.Object({
	url: Type.String({
		pattern: '^https?://[^\\s]+$',
		maxLength: 2048,
		[ERROR_MESSAGE_KEYWORD]: URL_MESSAGE,
		description: 'A room page URL (`/rooms/:id`) or its player (`/embed/rooms/:id`)',
	}),
	maxwidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
	maxheight: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
	format: Type.Optional(
		Type.Union([Type.Literal('json'), Type.Literal('xml')], {
			description: 'Only `json` is offered; `xml` is answered 501 as the spec asks',
		})
	),
});

/** A `rich` oEmbed response: the room's player as an `<iframe>` (https://oembed.com, section 2.3). */
export const OEmbedResponseSchema = Type.Object({
	type: Type.Literal('rich'),
	version: Type.Literal('1.0'),
	title: Type.String(),
	author_name: Type.String({ description: "The host's display name" }),
	author_url: Type.String({ description: "The host's profile page" }),
	provider_name: Type.Literal('Majlis'),
	provider_url: Type.String(),
	html: Type.String({ description: 'The `<iframe>` of `/embed/rooms/:id`' }),
	width: Type.Integer(),
	height: Type.Integer(),
	cache_age: Type.Integer({ description: 'Seconds the answer may be cached (the room may go live or end)' }),
	thumbnail_url: Type.Optional(
		Type.String({ description: 'The share card; left out when larger than maxwidth/maxheight' })
	),
	thumbnail_width: Type.Optional(Type.Integer()),
	thumbnail_height: Type.Optional(Type.Integer()),
});
