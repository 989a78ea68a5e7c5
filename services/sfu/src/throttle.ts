import type { Clock, Timer } from './Clock.js';

/** A throttled call: `()` schedules, `cancel()` drops what is pending. */
export interface Throttled {
	/** Runs now if the last run was at least the interval ago, else once at the end of the interval. */
	(): void;
	/** Drops a pending run. */
	cancel(): void;
}

/**
 * Leading- and trailing-edge throttle for state broadcasts (listener count, speaking): `fn` reads the
 * current state when it runs, so bursts of changes become at most one message per interval and the
 * last state always goes out.
 */
export function throttle(fn: () => void, intervalMs: number, clock: Clock): Throttled {
	let lastRun = Number.NEGATIVE_INFINITY;
	let pending: Timer | undefined;

	const run = () => {
		pending = undefined;
		lastRun = clock.now();
		fn();
	};
	const throttled = (() => {
		if (pending) {
			return;
		}
		const wait = lastRun + intervalMs - clock.now();
		if (wait <= 0) {
			run();
		} else {
			pending = clock.setTimeout(run, wait);
		}
	}) as Throttled;
	throttled.cancel = () => {
		pending?.cancel();
		pending = undefined;
	};

	return throttled;
}
