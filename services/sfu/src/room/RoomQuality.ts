import {
	canModerate,
	QUALITY_REPORT_INTERVAL_MS,
	type QualityReport,
	qualityVerdict,
} from '@majlis/protocol';
import type { Clock, Timer } from '../Clock.js';
import { RateLimitedError } from '../errors.js';
import { type Throttled, throttle } from '../throttle.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** Settings and dependencies of {@link RoomQuality}. */
export interface RoomQualityDeps {
	/** The room's connections (only those still here count). */
	peers: ReadonlyMap<string, Peer>;
	/** Who is on stage (speakers are not listeners) and who may moderate. */
	state: LiveState;
	/** Sends the count to staff. */
	notifier: RoomNotifier;
	/** Time and timers. */
	clock: Clock;
	/** The clients' report interval; default {@link QUALITY_REPORT_INTERVAL_MS}. */
	intervalMs?: number;
	/** Minimum gap between two `quality:poor` messages; default 2 s. */
	batchMs?: number;
}

interface Entry {
	poor: boolean;
	at: number;
}

/**
 * How many listeners have a poor connection, from the reports their clients send every interval. The
 * server takes the verdict again from the figures (a client cannot claim "good" with 30 % loss), keeps
 * a person's last report for three intervals (a client that stops reporting stops counting), and sends
 * staff `quality:poor` batched and only when the figures change (and again when a moderator joins). Reports closer than half an interval are refused with `rate_limited`.
 */
export class RoomQuality {
	readonly #deps: RoomQualityDeps;
	readonly #intervalMs: number;
	readonly #entries = new Map<string, Entry>();
	readonly #send: Throttled;
	#sent = '';
	#expiry: Timer | undefined;
	#closed = false;

	/** The quality figures of one room. */
	constructor(deps: RoomQualityDeps) {
		this.#deps = deps;
		this.#intervalMs = deps.intervalMs ?? QUALITY_REPORT_INTERVAL_MS;
		this.#send = throttle(() => this.#flush(), deps.batchMs ?? 2000, deps.clock);
	}

	/** One client's report; throws `rate_limited` when it comes too soon after the last. */
	report(userId: string, report: QualityReport): void {
		if (this.#closed) {
			return;
		}
		const now = this.#deps.clock.now();
		const last = this.#entries.get(userId);
		if (last && now - last.at < this.#intervalMs / 2) {
			throw new RateLimitedError('quality reports come every few seconds at most');
		}
		const poor = report.verdict === 'poor' || qualityVerdict(report.lossPct, report.jitterMs) === 'poor';
		this.#entries.set(userId, { poor, at: now });
		this.#send();
	}

	/**
	 * Someone joined: a moderator gets the figures with the next batch (sent again to all staff, so it
	 * arrives after their join reply, when their client listens), not only at the next change.
	 */
	joined(userId: string): void {
		if (!this.#closed && canModerate(this.#deps.state.roleOf(userId)) && this.#sent !== '') {
			this.#sent = '';
			this.#send();
		}
	}

	/** Listeners (here, not on stage) with a fresh report: how many are poor, of how many. */
	figures(): { count: number; reporting: number } {
		const since = this.#deps.clock.now() - 3 * this.#intervalMs;
		let count = 0;
		let reporting = 0;
		for (const [userId, entry] of this.#entries) {
			if (entry.at < since || !this.#deps.peers.has(userId)) {
				this.#entries.delete(userId);
				continue;
			}
			if (this.#deps.state.isOnStage(userId)) {
				continue;
			}
			reporting += 1;
			count += entry.poor ? 1 : 0;
		}

		return { count, reporting };
	}

	/** Stops sending. */
	close(): void {
		this.#closed = true;
		this.#send.cancel();
		this.#expiry?.cancel();
	}

	#flush(): void {
		if (this.#closed) {
			return;
		}
		const figures = this.figures();
		const key = `${figures.count}/${figures.reporting}`;
		if (key !== this.#sent) {
			this.#sent = key;
			this.#deps.notifier.toModerators('quality:poor', figures);
		}
		// Reports that stop coming age out: look again once the oldest could have.
		this.#expiry?.cancel();
		this.#expiry =
			this.#entries.size > 0 ? this.#deps.clock.setTimeout(() => this.#send(), this.#intervalMs) : undefined;
	}
}
