import { type Static, Type } from 'typebox';
import { IdSchema } from './domain.js';

// Federation (issue 18): each user can share their public rooms to the fediverse (ActivityPub) as
// `@handle@domain`, and follow fediverse accounts to see their rooms.

/** A fediverse address: `@user@domain` (the leading `@` optional; the domain may carry a port). */
export const FediverseAddressSchema = Type.String({
	pattern: '^@?[A-Za-z0-9_.~-]{1,100}@[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$',
	maxLength: 360,
	description: 'A fediverse account, like @someone@mastodon.social',
});

/** The caller's federation setting. */
export const FederationSettingsSchema = Type.Object({
	/** Whether this server federates at all (FEDERATION=on). */
	available: Type.Boolean(),
	/** Whether the caller shares their public rooms to the fediverse. */
	enabled: Type.Boolean(),
	/** The caller's fediverse address, `@handle@domain`; null when the server does not federate. */
	address: Type.Union([Type.String(), Type.Null()]),
});
/** The caller's federation setting. */
export type FederationSettings = Static<typeof FederationSettingsSchema>;

/** Turns sharing to the fediverse on or off. */
export const UpdateFederationSettingsBodySchema = Type.Object({ enabled: Type.Boolean() });
/** Turns sharing to the fediverse on or off. */
export type UpdateFederationSettingsBody = Static<typeof UpdateFederationSettingsBodySchema>;

/** A fediverse account the caller follows. */
export const FediverseFollowSchema = Type.Object({
	id: IdSchema,
	address: Type.String(),
	name: Type.String(),
	/** The account's ActivityPub id. */
	actorUrl: Type.String(),
	/** Whether the account accepted the follow (its posts arrive only then). */
	accepted: Type.Boolean(),
	createdAt: Type.String({ format: 'date-time' }),
});
/** A fediverse account the caller follows. */
export type FediverseFollow = Static<typeof FediverseFollowSchema>;

/** The fediverse accounts the caller follows. */
export const FediverseFollowListSchema = Type.Object({ items: Type.Array(FediverseFollowSchema) });

/** Follow a fediverse account (found through WebFinger). */
export const FollowFediverseBodySchema = Type.Object({ address: FediverseAddressSchema });
/** Follow a fediverse account (found through WebFinger). */
export type FollowFediverseBody = Static<typeof FollowFediverseBodySchema>;

/** A room (or post) a followed fediverse account sent. */
export const FediversePostSchema = Type.Object({
	/** Its ActivityPub id. */
	id: Type.String(),
	/** `event`: a scheduled room; `note`: a post, such as "live now". */
	kind: Type.Union([Type.Literal('note'), Type.Literal('event')]),
	name: Type.String(),
	/** Plain text (markup removed). */
	content: Type.String(),
	/** Where to open it (a Majlis room's page). */
	url: Type.Union([Type.String(), Type.Null()]),
	startsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
	/** Set once it ended. */
	endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
	author: Type.Object({ address: Type.String(), name: Type.String() }),
	updatedAt: Type.String({ format: 'date-time' }),
});
/** A room (or post) a followed fediverse account sent. */
export type FediversePost = Static<typeof FediversePostSchema>;

/** What followed fediverse accounts sent, newest first. */
export const FediverseFeedSchema = Type.Object({ items: Type.Array(FediversePostSchema) });
