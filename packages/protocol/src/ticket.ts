import { type Static, Type } from 'typebox';
import { IdSchema, RoleSchema } from './domain.js';

/** JWT audience of join tickets (API → client → SFU). */
export const TICKET_AUDIENCE = 'majlis:sfu';
/** JWT audience of service tokens (SFU → API internal routes). */
export const SERVICE_AUDIENCE = 'majlis:internal';
/** How long a join ticket is valid. Short: it is used once, right away. */
export const TICKET_TTL_SECONDS = 60;

/** Claims of a join ticket, signed HS256 with the shared JWT secret. */
export const TicketClaimsSchema = Type.Object({
	/** User id. */
	sub: IdSchema,
	/** Room id. */
	rid: IdSchema,
	/** The user's role when the ticket was issued. */
	role: RoleSchema,
	/** Handle. */
	hdl: Type.String(),
	/** Display name. */
	name: Type.String(),
	/** Whether the user is on the room's guest list as a speaker (may come on stage without a hand). */
	sg: Type.Boolean(),
	/** SFU node id the API placed the user on. */
	node: Type.String(),
	/**
	 * The room's origin node when `node` is another one: the room is full on its origin, so this listener
	 * is served by a relay node that pipes the stage's audio from the origin.
	 */
	org: Type.Optional(Type.String()),
	/** Ticket id (set when signed): an SFU node accepts each ticket once, until it expires. */
	jti: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
	/**
	 * An anonymous listener (issue 14): someone with the link to a public live room and no account. `sub`
	 * is a one-off id; they may listen only (hands, reactions and chat answer `account_required`).
	 */
	anon: Type.Optional(Type.Boolean()),
});
/** Claims of a join ticket. */
export type TicketClaims = Static<typeof TicketClaimsSchema>;
