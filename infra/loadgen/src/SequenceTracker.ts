// RTP sequence numbers are 16 bits and wrap every 65536 packets (22 minutes at 50 packets/s), and UDP may
// reorder or duplicate. Loss is therefore counted as in RFC 3550 A.3 (expected = highest − first + 1 on
// the extended, wrap-free sequence; lost = expected − received), plus a bitmap of the last WINDOW
// sequence numbers so that a duplicate is never counted as received — RFC 3550's counter would let
// duplicates hide real loss.
const WINDOW = 1024;
const WORDS = WINDOW / 32;

// Extended numbers start one cycle up so that a packet reordered from before the first one seen (e.g. 65535
// arriving after 0) still gets a non-negative number.
const FIRST_CYCLE = 0x1_0000;

/** What `push()` made of a sequence number. */
export const SeqVerdict = { Duplicate: -1, TooOld: -2 } as const;

/** Per-stream RTP sequence accounting: loss, duplicates and reordering, wrap-safe. */
export class SequenceTracker {
	readonly #seen = new Uint32Array(WORDS);
	#highest = -1;
	#first = -1;
	#received = 0;
	#duplicates = 0;
	#reordered = 0;
	#tooOld = 0;

	/**
	 * Accounts one packet; returns its extended sequence number (≥ 0), or a negative `SeqVerdict` when it is
	 * a duplicate or older than the window (such packets change no counter but their own).
	 */
	push(seq: number): number {
		if (this.#highest < 0) {
			this.#highest = this.#first = FIRST_CYCLE + seq;
			this.#mark(this.#highest);
			this.#received = 1;
			return this.#highest;
		}
		// Distance to the highest so far, read as the shorter way round the 16-bit circle.
		let delta = (seq - (this.#highest & 0xffff)) & 0xffff;
		if (delta >= 0x8000) {
			delta -= 0x1_0000;
		}
		const ext = this.#highest + delta;
		if (delta > 0) {
			// Slots between the old and the new highest now stand for newer packets: clear them.
			for (let s = this.#highest + 1, n = Math.min(delta, WINDOW); n > 0; s++, n--) {
				this.#seen[(s & (WINDOW - 1)) >>> 5]! &= ~(1 << (s & 31));
			}
			this.#highest = ext;
		} else if (-delta >= WINDOW) {
			this.#tooOld++;
			return SeqVerdict.TooOld;
		} else if (this.#isMarked(ext)) {
			this.#duplicates++;
			return SeqVerdict.Duplicate;
		} else {
			this.#reordered++;
			if (ext < this.#first) {
				this.#first = ext;
			}
		}
		this.#mark(ext);
		this.#received++;
		return ext;
	}

	#mark(ext: number): void {
		this.#seen[(ext & (WINDOW - 1)) >>> 5]! |= 1 << (ext & 31);
	}

	#isMarked(ext: number): boolean {
		return (this.#seen[(ext & (WINDOW - 1)) >>> 5]! & (1 << (ext & 31))) !== 0;
	}

	/** Distinct packets received. */
	get received(): number {
		return this.#received;
	}

	/** Packets expected from the first to the highest sequence number seen. */
	get expected(): number {
		return this.#highest < 0 ? 0 : this.#highest - this.#first + 1;
	}

	/** Packets never received (expected − received). */
	get lost(): number {
		return this.expected - this.#received;
	}

	/** Packets received twice or more (not counted as received again). */
	get duplicates(): number {
		return this.#duplicates;
	}

	/** Packets that arrived after a higher sequence number. */
	get reordered(): number {
		return this.#reordered;
	}

	/** Packets older than the window (1024 packets), ignored: they cannot be told from duplicates. */
	get tooOld(): number {
		return this.#tooOld;
	}

	/** Highest extended sequence number seen (−1 before the first packet). */
	get highest(): number {
		return this.#highest;
	}

	/** SRTP rollover counter (RFC 3711 §3.3.1) for a packet's extended sequence number. */
	static rolloverCounter(ext: number): number {
		return Math.max(0, Math.floor(ext / 0x1_0000) - 1);
	}
}
