import { type Static, Type } from 'typebox';
import { IdSchema } from './domain.js';

/** The fixed set of reactions, in menu order (thumbs up, heart, laugh, clap, 100, raised hands). */
export const REACTIONS = ['thumbs_up', 'heart', 'laugh', 'clap', 'hundred', 'raised_hands'] as const;
/** One of {@link REACTIONS}. */
export type Reaction = (typeof REACTIONS)[number];
/** TypeBox schema of a {@link Reaction}. */
export const ReactionSchema = Type.Union([
	Type.Literal('thumbs_up'),
	Type.Literal('heart'),
	Type.Literal('laugh'),
	Type.Literal('clap'),
	Type.Literal('hundred'),
	Type.Literal('raised_hands'),
]);

/**
 * The least time between two `reactions` messages (one per tick, however many reacted): at most 4.5 a
 * second, so a socket stays under 5 a second even when delivery jitter brings two closer together.
 */
export const REACTION_TICK_MS = 220;

/** How many of one reaction arrived in a tick. */
export const ReactionCountSchema = Type.Object({
	reaction: ReactionSchema,
	count: Type.Integer({ minimum: 1 }),
});
/** How many of one reaction arrived in a tick. */
export type ReactionCount = Static<typeof ReactionCountSchema>;

/** Requests about reactions (merged into the protocol's `Requests`). */
export const ReactionRequests = {
	/** Anyone in the room: react, optionally aimed at a stage member (`to`); rate limited per person. */
	'reaction:send': {
		request: Type.Object(
			{ reaction: ReactionSchema, to: Type.Optional(IdSchema) },
			{ additionalProperties: false }
		),
		reply: Type.Object({}, { additionalProperties: false }),
	},
} as const;

/** Notifications about reactions (merged into the protocol's `Notifications`). */
export const ReactionNotifications = {
	/**
	 * The reactions of one tick: counts per reaction for the room, and per stage member for those aimed
	 * at someone (their tile shows them). At most one per tick.
	 */
	reactions: Type.Object({
		counts: Type.Array(ReactionCountSchema),
		aimed: Type.Array(Type.Object({ userId: IdSchema, counts: Type.Array(ReactionCountSchema) })),
	}),
} as const;
