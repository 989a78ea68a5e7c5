// Log-linear histogram: every power of two is split into 16 linear sub-buckets, so any recorded value is
// known to within 1/16 (6.25 %) while the whole 0 .. 2^32 µs range (71 minutes) fits in 464 counters.
// Recording is two bit operations and an increment: thousands of sinks can share one instance, or keep
// their own and merge them at the end.
const SUB_BITS = 4;
const SUB_COUNT = 1 << SUB_BITS;
const BUCKETS = (32 - SUB_BITS + 1) * SUB_COUNT;
const MAX_VALUE = 0xffff_ffff;

function bucketOf(value: number): number {
	if (value < SUB_COUNT) {
		return value;
	}
	const exponent = 31 - Math.clz32(value);
	const sub = (value >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1);
	return (exponent - SUB_BITS + 1) * SUB_COUNT + sub;
}

/** Highest value that lands in bucket `index` (values there are reported as this, HdrHistogram-style). */
function bucketTop(index: number): number {
	if (index < SUB_COUNT) {
		return index;
	}
	const exponent = (index >>> SUB_BITS) + SUB_BITS - 1;
	const width = 2 ** (exponent - SUB_BITS);
	return (SUB_COUNT + (index & (SUB_COUNT - 1))) * width + width - 1;
}

/** Fixed-size log-linear histogram of non-negative integers (e.g. microseconds), ≤6.25 % relative error. */
export class LogHistogram {
	readonly #counts = new Float64Array(BUCKETS);
	#count = 0;
	#sum = 0;
	#min = Number.POSITIVE_INFINITY;
	#max = 0;
	#negative = 0;

	/** Records one value; negatives (clock skew between hosts) are counted apart, not folded into 0. */
	record(value: number): void {
		if (value < 0) {
			this.#negative++;
			return;
		}
		const v = value > MAX_VALUE ? MAX_VALUE : Math.floor(value);
		this.#counts[bucketOf(v)]!++;
		this.#count++;
		this.#sum += v;
		if (v < this.#min) {
			this.#min = v;
		}
		if (v > this.#max) {
			this.#max = v;
		}
	}

	/** Adds every value recorded in `other` to this histogram. */
	merge(other: LogHistogram): void {
		other.#counts.forEach((n, i) => {
			this.#counts[i]! += n;
		});
		this.#count += other.#count;
		this.#sum += other.#sum;
		this.#negative += other.#negative;
		this.#min = Math.min(this.#min, other.#min);
		this.#max = Math.max(this.#max, other.#max);
	}

	/** Forgets everything recorded so far. */
	reset(): void {
		this.#counts.fill(0);
		this.#count = 0;
		this.#sum = 0;
		this.#negative = 0;
		this.#min = Number.POSITIVE_INFINITY;
		this.#max = 0;
	}

	/** Number of (non-negative) values recorded. */
	get count(): number {
		return this.#count;
	}

	/** Number of negative values seen (not part of count or the percentiles). */
	get negative(): number {
		return this.#negative;
	}

	/** Exact smallest value recorded (0 when empty). */
	get min(): number {
		return this.#count === 0 ? 0 : this.#min;
	}

	/** Exact largest value recorded. */
	get max(): number {
		return this.#max;
	}

	/** Exact arithmetic mean (0 when empty). */
	get mean(): number {
		return this.#count === 0 ? 0 : this.#sum / this.#count;
	}

	/** The value at quantile q (0..1): the top of the bucket holding it, never above the exact max. */
	valueAt(q: number): number {
		if (this.#count === 0) {
			return 0;
		}
		const rank = Math.max(1, Math.ceil(q * this.#count));
		let seen = 0;
		for (let i = 0; i < BUCKETS; i++) {
			seen += this.#counts[i]!;
			if (seen >= rank) {
				return Math.min(bucketTop(i), this.#max);
			}
		}
		return this.#max;
	}
}

/** The usual latency summary of a histogram. */
export type HistogramSummary = {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	mean: number;
};

/** p50/p95/p99/max/mean of a histogram, in its unit. */
export function summarize(histogram: LogHistogram): HistogramSummary {
	return {
		count: histogram.count,
		p50: histogram.valueAt(0.5),
		p95: histogram.valueAt(0.95),
		p99: histogram.valueAt(0.99),
		max: histogram.max,
		mean: histogram.mean,
	};
}

/** Lost packets as a percentage of expected ones (0 when nothing was expected). */
export function lossPercent(lost: number, expected: number): number {
	return expected > 0 ? (100 * lost) / expected : 0;
}

/**
 * RTP interarrival jitter (RFC 3550 §6.4.1, A.8): the smoothed mean deviation of the spacing between
 * packets at the receiver from their spacing at the sender (RTP timestamps). Needs no send clock, so it
 * also works for streams without a send-time extension; 0 for perfectly paced arrivals.
 */
export class InterarrivalJitter {
	readonly #clockRate: number;
	#lastArrivalUs = Number.NaN;
	#lastTimestamp = 0;
	/** In RTP timestamp units, as RFC 3550 keeps it. */
	#jitter = 0;

	constructor(clockRate = 48_000) {
		this.#clockRate = clockRate;
	}

	/** Accounts one packet (in arrival order; leave out duplicates) by its RTP timestamp and arrival time in µs. */
	push(rtpTimestamp: number, arrivalUs: number): void {
		if (!Number.isNaN(this.#lastArrivalUs)) {
			// The signed 32-bit difference survives the timestamp's wrap.
			const sent = (rtpTimestamp - this.#lastTimestamp) | 0;
			const received = ((arrivalUs - this.#lastArrivalUs) * this.#clockRate) / 1e6;
			this.#jitter += (Math.abs(received - sent) - this.#jitter) / 16;
		}
		this.#lastArrivalUs = arrivalUs;
		this.#lastTimestamp = rtpTimestamp >>> 0;
	}

	/** The current estimate in milliseconds. */
	get ms(): number {
		return (this.#jitter * 1000) / this.#clockRate;
	}
}

/**
 * Exact nearest-rank quantile q (0..1) of a few values (join times, moderation receipts): the smallest
 * value with at least q of them at or below it; 0 when empty. For streams of values use LogHistogram.
 */
export function percentile(values: readonly number[], q: number): number {
	if (values.length === 0) {
		return 0;
	}
	const sorted = [...values].sort((x, y) => x - y);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
