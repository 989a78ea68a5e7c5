/** A scheduled callback that can be cancelled; cancelling twice is harmless. */
export interface Timer {
	/** Stops the callback from running (again). */
	cancel(): void;
}

/**
 * Time and timers, injected so grace periods, throttles and heartbeats can be tested without waiting
 * (style.md: inject timers and clocks instead of calling setTimeout directly).
 */
export interface Clock {
	/** Milliseconds since the epoch. */
	now(): number;
	/** Runs `fn` once after `ms`. */
	setTimeout(fn: () => void, ms: number): Timer;
	/** Runs `fn` every `ms`. */
	setInterval(fn: () => void, ms: number): Timer;
}

/** The real clock. Timers are unref'd: they never keep a process alive on their own. */
export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout(fn, ms) {
		const handle = setTimeout(fn, ms);
		handle.unref();

		return { cancel: () => clearTimeout(handle) };
	},
	setInterval(fn, ms) {
		const handle = setInterval(fn, ms);
		handle.unref();

		return { cancel: () => clearInterval(handle) };
	},
};
