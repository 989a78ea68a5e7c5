import { type Static, Type } from 'typebox';
import { UserSummarySchema } from './domain.js';

/** A link the host or a co-host pinned for everyone in the room. */
export const PinnedLinkSchema = Type.Object({
	url: Type.String(),
	/** The title the pinner gave, if any. */
	title: Type.Union([Type.String(), Type.Null()]),
	/** The page's own title, fetched by the server (null until fetched, or when it could not be). */
	pageTitle: Type.Union([Type.String(), Type.Null()]),
	by: UserSummarySchema,
	/** When it was pinned (ms since epoch). */
	at: Type.Number(),
});
/** A pinned link. */
export type PinnedLink = Static<typeof PinnedLinkSchema>;

/** Requests about the pinned link (merged into the protocol's `Requests`). */
export const PinnedLinkRequests = {
	/** Host and co-hosts: pin an https link with an optional title (replaces the pinned one). */
	'link:pin': {
		request: Type.Object(
			{
				url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https://' }),
				title: Type.Optional(Type.String({ maxLength: 120 })),
			},
			{ additionalProperties: false }
		),
		reply: PinnedLinkSchema,
	},
	/** Host and co-hosts: unpin. */
	'link:unpin': { request: Type.Object({}, { additionalProperties: false }), reply: Type.Object({}) },
	/** Anyone: the link pinned now (a late joiner asks once). */
	'link:current': {
		request: Type.Object({}, { additionalProperties: false }),
		reply: Type.Object({ link: Type.Union([PinnedLinkSchema, Type.Null()]) }),
	},
} as const;

/** Notifications about the pinned link (merged into the protocol's `Notifications`). */
export const PinnedLinkNotifications = {
	/** The pinned link changed (pinned, its page title arrived, or unpinned: null). */
	'link:pinned': Type.Object({ link: Type.Union([PinnedLinkSchema, Type.Null()]) }),
} as const;
