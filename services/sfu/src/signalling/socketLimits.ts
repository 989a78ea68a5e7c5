import type { Clock } from '../Clock.js';

/** Per-socket limits of the signalling. */
export interface SocketLimits {
	/** Frames a socket may send per second, sustained. */
	ratePerSecond: number;
	/** Frames a socket may send in a burst above the sustained rate. */
	burst: number;
	/** Bytes a socket may send per second, sustained (checked before a frame is parsed). */
	bytesPerSecond: number;
	/** Bytes a socket may send in a burst (at least one largest frame). */
	byteBurst: number;
	/** Refused frames within {@link abuseWindowMs} after which the socket is closed with 4008. */
	abuseThreshold: number;
	/** Window over which refused frames are counted. */
	abuseWindowMs: number;
	/** Minimum time between lowering the hand and raising it again, per socket. */
	handIntervalMs: number;
}

/**
 * The defaults: 20 frames/s with bursts of 40, 32 KiB/s with bursts of 256 KiB (four largest frames),
 * 100 refusals in 10 s close, a hand raised again at most a second after it was lowered.
 */
export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
	ratePerSecond: 20,
	burst: 40,
	bytesPerSecond: 32 * 1024,
	byteBurst: 256 * 1024,
	abuseThreshold: 100,
	abuseWindowMs: 10_000,
	handIntervalMs: 1000,
};

/** Limits that never bite (tests that fuzz the parser and dispatch rather than the limiter). */
export const UNLIMITED_SOCKET_LIMITS: SocketLimits = {
	ratePerSecond: Number.POSITIVE_INFINITY,
	burst: Number.POSITIVE_INFINITY,
	bytesPerSecond: Number.POSITIVE_INFINITY,
	byteBurst: Number.POSITIVE_INFINITY,
	abuseThreshold: Number.POSITIVE_INFINITY,
	abuseWindowMs: 10_000,
	handIntervalMs: 0,
};

/** What {@link SocketLimiter.admit} decided about one frame. */
export type Admission = 'ok' | 'refuse' | 'close';

/**
 * Two token buckets per socket, one of frames and one of bytes: each frame takes a frame token and its
 * size in byte tokens; they come back at `ratePerSecond` and `bytesPerSecond` up to their bursts. A frame
 * that finds either bucket short is refused (`rate_limited`) before anything parses it; a socket that
 * keeps sending after being refused `abuseThreshold` times within `abuseWindowMs` is closed. Only the
 * abusing socket is affected.
 */
export class SocketLimiter {
	readonly #limits: SocketLimits;
	readonly #clock: Clock;
	#tokens: number;
	#bytes: number;
	#refilledAt: number;
	#refusals: number[] = [];
	#handAt = Number.NEGATIVE_INFINITY;
	#handDirection: 'raise' | 'lower' | undefined;

	/** Starts with a full bucket. */
	constructor(limits: SocketLimits, clock: Clock) {
		this.#limits = limits;
		this.#clock = clock;
		this.#tokens = limits.burst;
		this.#bytes = limits.byteBurst;
		this.#refilledAt = clock.now();
	}

	/** Takes the tokens of one incoming frame of `bytes` bytes (its raw size: it is not parsed yet). */
	admit(bytes = 0): Admission {
		const now = this.#clock.now();
		const { ratePerSecond, burst, bytesPerSecond, byteBurst } = this.#limits;
		const elapsed = (now - this.#refilledAt) / 1000;
		this.#refilledAt = now;
		// An infinite bucket stays infinite (0 × ∞ would make it NaN).
		const refill = (have: number, rate: number, cap: number) =>
			Number.isFinite(cap) ? Math.min(cap, have + elapsed * rate) : cap;
		this.#tokens = refill(this.#tokens, ratePerSecond, burst);
		this.#bytes = refill(this.#bytes, bytesPerSecond, byteBurst);
		if (this.#tokens >= 1 && this.#bytes >= bytes) {
			this.#tokens -= 1;
			this.#bytes -= bytes;

			return 'ok';
		}
		const since = now - this.#limits.abuseWindowMs;
		this.#refusals = this.#refusals.filter((at) => at > since);
		this.#refusals.push(now);

		return this.#refusals.length >= this.#limits.abuseThreshold ? 'close' : 'refuse';
	}

	/**
	 * Whether the hand may go `direction` now. Lowering is always allowed (it only removes noise from the
	 * moderators' queue); raising again within `handIntervalMs` of a lower is refused, so a hand cannot
	 * flap. Repeating a raise is allowed (the room treats it as a no-op).
	 */
	handChangeAllowed(direction: 'raise' | 'lower'): boolean {
		return (
			direction === 'lower' ||
			this.#handDirection !== 'lower' ||
			this.#clock.now() - this.#handAt >= this.#limits.handIntervalMs
		);
	}

	/** Records a hand change the room accepted. */
	recordHandChange(direction: 'raise' | 'lower'): void {
		if (direction !== this.#handDirection) {
			this.#handDirection = direction;
			this.#handAt = this.#clock.now();
		}
	}
}
