import type { Clock, Timer } from '../../src/Clock.js';

/** A clock that only moves when told to: `advance(ms)` runs the timers that fall due, in order. */
export class ManualClock implements Clock {
	#now: number;
	#timers: { at: number; fn: () => void; every?: number; cancelled: boolean }[] = [];

	/** Starts at `now` (ms since epoch). */
	constructor(now = 1_700_000_000_000) {
		this.#now = now;
	}

	now(): number {
		return this.#now;
	}

	setTimeout(fn: () => void, ms: number): Timer {
		const timer = { at: this.#now + ms, fn, cancelled: false };
		this.#timers.push(timer);

		return { cancel: () => (timer.cancelled = true) };
	}

	setInterval(fn: () => void, ms: number): Timer {
		const timer = { at: this.#now + ms, fn, every: ms, cancelled: false };
		this.#timers.push(timer);

		return { cancel: () => (timer.cancelled = true) };
	}

	/** Moves time forward by `ms`, running due timers at their own time. */
	advance(ms: number): void {
		const end = this.#now + ms;
		for (;;) {
			const due = this.#timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
			if (!due) {
				break;
			}
			this.#now = due.at;
			if (due.every) {
				due.at += due.every;
			} else {
				due.cancelled = true;
			}
			due.fn();
		}
		this.#now = end;
		this.#timers = this.#timers.filter((t) => !t.cancelled);
	}

	/** Timers still scheduled. */
	get pending(): number {
		return this.#timers.filter((t) => !t.cancelled).length;
	}
}
