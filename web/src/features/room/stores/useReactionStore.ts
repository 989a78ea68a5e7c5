import type { Reaction, ReactionCount } from '@majlis/protocol';
import { create } from 'zustand';

/** Reactions floating over the stage now, and those aimed at each speaker (for their tile). */
export interface ReactionStoreState {
	/** Floating reactions (each removed after its animation). */
	floating: { id: number; reaction: Reaction; left: number }[];
	/** The last tick's reactions aimed at each stage member, by user id. */
	aimed: Record<string, { counts: ReactionCount[]; id: number }>;
	/** Adds one tick's reactions. */
	addTick(
		counts: readonly ReactionCount[],
		aimed: readonly { userId: string; counts: ReactionCount[] }[]
	): void;
	/** Clears everything (a new room). */
	reset(): void;
}

// How long a floating reaction and a tile's reactions stay (the CSS animation lasts as long).
const SHOWN_MS = 2500;
// However many reacted, a tick floats at most this many of one reaction (the count is in the tile).
const MAX_FLOATING_PER_REACTION = 6;
let lastId = 0;

/** The live room's reactions store, fed by `ReactionOverlay`. */
export const useReactionStore = create<ReactionStoreState>()((set) => ({
	floating: [],
	aimed: {},
	addTick(counts, aimed) {
		const added = counts.flatMap(({ reaction, count }) =>
			Array.from({ length: Math.min(count, MAX_FLOATING_PER_REACTION) }, () => ({
				id: ++lastId,
				reaction,
				left: 5 + Math.random() * 90,
			}))
		);
		const tiles = Object.fromEntries(aimed.map((a) => [a.userId, { counts: a.counts, id: ++lastId }]));
		set((s) => ({ floating: [...s.floating, ...added].slice(-60), aimed: { ...s.aimed, ...tiles } }));
		const ids = new Set(added.map((f) => f.id));
		setTimeout(() => {
			set((s) => ({
				floating: s.floating.filter((f) => !ids.has(f.id)),
				aimed: Object.fromEntries(
					Object.entries(s.aimed).filter(([userId, a]) => tiles[userId]?.id !== a.id)
				),
			}));
		}, SHOWN_MS);
	},
	reset() {
		set({ floating: [], aimed: {} });
	},
}));
