import { nowUs } from './clock.js';

// Node timers fire late by a millisecond or more and never early, so re-arming a 20 ms timer after each
// tick drifts (50 packets/s becomes ~48). The pacer keeps the absolute due time of the next tick and
// arms the timer for exactly the time left; when the event loop stalls it runs the missed ticks at once
// (each with its real time), so the long-run rate is exact. One pacer drives any number of speakers.

/** Something driven once per frame interval. */
export interface Paced {
	/** Called once per interval; `nowUs` is the wall-clock time of the call. */
	tick(nowUs: number): void;
}

/** Pacer options. */
export type PacerOptions = {
	/** Interval between ticks. Default 20 ms (one Opus frame). */
	intervalMs?: number;
	/** Missed ticks run at once after a stall; beyond this many the pacer skips ahead. Default 50 (1 s). */
	maxCatchUp?: number;
	/**
	 * Spread the members over the interval (member k of n ticks k/n of an interval after the first), as
	 * independent devices' frame clocks are; default false: every member ticks at once, the worst case
	 * for a forwarder's queueing.
	 */
	stagger?: boolean;
};

/** Drives `Paced` objects every interval, scheduled on absolute time so the rate never drifts. */
export class Pacer {
	readonly #intervalUs: number;
	readonly #maxCatchUp: number;
	readonly #stagger: boolean;
	readonly #members = new Set<Paced>();
	#nextUs = 0;
	// With `stagger`, the slot (member index) the next sub-tick drives; each interval has one per member.
	#slot = 0;
	#subTicks = 0;
	#timer: NodeJS.Timeout | undefined;
	#running = false;
	#ticks = 0;
	#skipped = 0;
	#lateUs = 0;

	constructor(options: PacerOptions = {}) {
		this.#intervalUs = (options.intervalMs ?? 20) * 1000;
		this.#maxCatchUp = options.maxCatchUp ?? 50;
		this.#stagger = options.stagger ?? false;
	}

	/** Adds a member; it is ticked from the next interval on. */
	add(member: Paced): void {
		this.#members.add(member);
	}

	/** Removes a member. */
	delete(member: Paced): void {
		this.#members.delete(member);
	}

	/** Starts ticking (first tick now). */
	start(): void {
		if (this.#running) {
			return;
		}
		this.#running = true;
		this.#nextUs = nowUs();
		this.#run();
	}

	/** Stops ticking. */
	stop(): void {
		this.#running = false;
		clearTimeout(this.#timer);
	}

	/** Intervals run so far. */
	get ticks(): number {
		return this.#ticks;
	}

	/** Intervals skipped because the process stalled for more than `maxCatchUp` intervals. */
	get skipped(): number {
		return this.#skipped;
	}

	/** Mean lateness of ticks behind their due time, in µs (timer + event-loop delay). */
	get meanLateUs(): number {
		return this.#subTicks === 0 ? 0 : this.#lateUs / this.#subTicks;
	}

	#run = (): void => {
		const now = nowUs();
		const members = [...this.#members];
		const slots = this.#stagger ? Math.max(1, members.length) : 1;
		const stepUs = this.#intervalUs / slots;
		for (let n = 0; this.#nextUs <= now && n < this.#maxCatchUp * slots; n++) {
			this.#lateUs += now - this.#nextUs;
			this.#subTicks++;
			this.#slot %= slots;
			if (this.#slot === 0) {
				this.#ticks++;
			}
			for (const member of this.#stagger ? members.slice(this.#slot, this.#slot + 1) : members) {
				member.tick(now);
			}
			this.#slot += 1;
			this.#nextUs += stepUs;
		}
		if (this.#nextUs <= now) {
			const missed = Math.ceil((now - this.#nextUs) / stepUs);
			this.#skipped += Math.ceil(missed / slots);
			this.#nextUs += missed * stepUs;
			this.#slot = (this.#slot + missed) % slots;
		}
		if (!this.#running) {
			// A member stopped the pacer from its tick.
			return;
		}
		// Rounded down: waking early only costs one more short timer, waking late delays every member.
		this.#timer = setTimeout(this.#run, Math.max(0, Math.floor((this.#nextUs - nowUs()) / 1000)));
	};
}
