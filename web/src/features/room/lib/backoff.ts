/** First reconnect delay in ms. */
export const RECONNECT_BASE_MS = 500;
/** Longest reconnect delay in ms. */
export const RECONNECT_MAX_MS = 10_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter between half and
 * all of it so that a room full of listeners does not come back in lockstep after a restart.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));

	return Math.round(ceiling * (0.5 + random() * 0.5));
}
