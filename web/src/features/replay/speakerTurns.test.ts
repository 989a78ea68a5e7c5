import type { RecordingTimeline } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { formatClock } from './duration';
import { speakerTurns, speakingAt } from './speakerTurns';

const host = { id: 'h', handle: 'hana', displayName: 'Hana' };
const guest = { id: 'g', handle: 'omar', displayName: 'عمر' };
const silent = { id: 's', handle: 'sami', displayName: 'Sami' };

const timeline: RecordingTimeline = {
	startedAt: 0,
	durationMs: 20_000,
	people: [host, guest, silent],
	stage: [
		{ userId: 'h', fromMs: 0, toMs: null },
		{ userId: 'g', fromMs: 0, toMs: null },
		{ userId: 's', fromMs: 0, toMs: null },
	],
	speaking: [
		{ userId: 'g', fromMs: 1000, toMs: 2000 },
		{ userId: 'h', fromMs: 3000, toMs: 4000 },
		{ userId: 'g', fromMs: 2600, toMs: 3000 },
		{ userId: 'g', fromMs: 9000, toMs: null },
	],
	muted: [],
	events: [],
};

describe('speakerTurns', () => {
	test('close spans make one turn, far ones a new turn, an open span runs to the end; silent members last', () => {
		const turns = speakerTurns(timeline);
		expect(turns.map((t) => t.user.id)).toEqual(['g', 'h', 's']);
		expect(turns[0]!.turns).toEqual([
			{ fromMs: 1000, toMs: 3000 },
			{ fromMs: 9000, toMs: 20_000 },
		]);
		expect(turns[0]!.totalMs).toBe(13_000);
		expect(turns[2]!.turns).toEqual([]);
	});

	test('who speaks at a moment', () => {
		expect([...speakingAt(timeline, 3500)]).toEqual(['h']);
		expect([...speakingAt(timeline, 19_000)]).toEqual(['g']);
		expect(speakingAt(timeline, 5000).size).toBe(0);
	});

	test('durations read as a clock', () => {
		expect(formatClock(0)).toBe('0:00');
		expect(formatClock(65_400)).toBe('1:05');
		expect(formatClock(3_723_000)).toBe('1:02:03');
	});
});
