import { QUALITY_REPORT_INTERVAL_MS, type QualityReport, qualityVerdict } from '@majlis/protocol';
import type { VoiceCounters } from './diagnosis';

/**
 * The quality summary of the interval between two samples of the voices' counters: loss over every
 * voice's packets (received + lost deltas), the worst jitter now. Null when no packet was expected (no
 * one spoke, or nothing to hear): silence says nothing about the connection.
 */
export function summarizeQuality(before: VoiceCounters[], after: VoiceCounters[]): QualityReport | null {
	const previous = new Map(before.map((v) => [v.userId, v]));
	let received = 0;
	let lost = 0;
	let jitter = 0;
	for (const voice of after) {
		const last = previous.get(voice.userId);
		if (!last || voice.paused) {
			continue;
		}
		received += Math.max(0, voice.packetsReceived - last.packetsReceived);
		lost += Math.max(0, voice.packetsLost - last.packetsLost);
		jitter = Math.max(jitter, voice.jitter);
	}
	if (received + lost === 0) {
		return null;
	}
	const lossPct = Math.round((lost / (received + lost)) * 1000) / 10;
	const jitterMs = Math.min(60_000, Math.round(jitter * 1000));

	return { lossPct, jitterMs, verdict: qualityVerdict(lossPct, jitterMs) };
}

/** What {@link startQualityReports} samples and where it sends. */
export interface QualityReportsDeps {
	/** The voices' counters now. */
	sample(): Promise<VoiceCounters[]>;
	/** Sends one report (`quality:report`); failures are ignored, the next interval tries again. */
	send(report: QualityReport): Promise<unknown>;
	/** Interval; default {@link QUALITY_REPORT_INTERVAL_MS}. */
	intervalMs?: number;
}

/** Every interval, sends the summary of the incoming audio so hosts can see who hears badly. Returns stop. */
export function startQualityReports(deps: QualityReportsDeps): () => void {
	let last: VoiceCounters[] | null = null;
	let stopped = false;
	const tick = async () => {
		const now = await deps.sample().catch(() => null);
		if (stopped || !now) {
			return;
		}
		const report = last ? summarizeQuality(last, now) : null;
		last = now;
		if (report) {
			await deps.send(report).catch(() => undefined);
		}
	};
	void tick();
	const timer = setInterval(() => void tick(), deps.intervalMs ?? QUALITY_REPORT_INTERVAL_MS);

	return () => {
		stopped = true;
		clearInterval(timer);
	};
}

/**
 * The quality reports of whichever session is connected now: each new session starts its own
 * (stopping the previous one's), and a torn-down or closed session stops them.
 */
export class QualityReporter {
	readonly #sample: () => Promise<VoiceCounters[]>;
	readonly #intervalMs: number | undefined;
	#stop: (() => void) | null = null;

	/** `sample` reads the voices' counters of the media, whichever session it serves. */
	constructor(sample: () => Promise<VoiceCounters[]>, intervalMs?: number) {
		this.#sample = sample;
		this.#intervalMs = intervalMs;
	}

	/** Starts reporting through `send` (the new session's `quality:report`), stopping the previous reports. */
	start(send: (report: QualityReport) => Promise<unknown>): void {
		this.stop();
		this.#stop = startQualityReports({ sample: this.#sample, send, intervalMs: this.#intervalMs });
	}

	/** Stops the reports, if any run; idempotent. */
	stop(): void {
		this.#stop?.();
		this.#stop = null;
	}
}
