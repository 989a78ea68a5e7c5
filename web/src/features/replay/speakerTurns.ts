import type { RecordingTimeline, UserSummary } from '@majlis/protocol';

/** One person's speaking in a recording: their turns (ms from the start) and total time. */
export interface SpeakerTurns {
	/** Who. */
	user: UserSummary;
	/** Their turns, in order; a turn still open at the end runs to the end. */
	turns: { fromMs: number; toMs: number }[];
	/** Sum of the turns. */
	totalMs: number;
}

// Speaking spans closer than this are one turn: the audio level reports come every few hundred ms.
const JOIN_GAP_MS = 1500;

/** Each stage member's turns from the timeline, in the order they first spoke (silent members last). */
export function speakerTurns(timeline: RecordingTimeline): SpeakerTurns[] {
	const byUser = new Map<string, { fromMs: number; toMs: number }[]>();
	const spans = [...timeline.speaking].sort((a, b) => a.fromMs - b.fromMs);
	for (const span of spans) {
		const toMs = span.toMs ?? timeline.durationMs;
		const turns = byUser.get(span.userId) ?? [];
		const last = turns.at(-1);
		if (last && span.fromMs - last.toMs <= JOIN_GAP_MS) {
			last.toMs = Math.max(last.toMs, toMs);
		} else {
			turns.push({ fromMs: span.fromMs, toMs });
		}
		byUser.set(span.userId, turns);
	}
	const onStage = new Set(timeline.stage.map((s) => s.userId));
	const order = [...byUser.keys(), ...[...onStage].filter((id) => !byUser.has(id))];

	return order.flatMap((id) => {
		const user = timeline.people.find((p) => p.id === id);
		if (!user) {
			return [];
		}
		const turns = byUser.get(id) ?? [];

		return [{ user, turns, totalMs: turns.reduce((sum, t) => sum + t.toMs - t.fromMs, 0) }];
	});
}

/** Who is speaking at `atMs` (from the raw spans, so the light follows the voice closely). */
export function speakingAt(timeline: RecordingTimeline, atMs: number): Set<string> {
	const out = new Set<string>();
	for (const span of timeline.speaking) {
		if (span.fromMs <= atMs && atMs < (span.toMs ?? timeline.durationMs)) {
			out.add(span.userId);
		}
	}

	return out;
}
