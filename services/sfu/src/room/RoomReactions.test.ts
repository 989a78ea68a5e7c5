import { REACTION_TICK_MS } from '@majlis/protocol';
import { expect, test } from 'vitest';
import { ManualClock } from '../../test/support/ManualClock.js';
import type { LiveState } from './LiveState.js';
import { RoomReactions } from './RoomReactions.js';
import type { RoomNotifier } from './RoomNotifier.js';

// The reactions of a room on a manual clock; `sent` holds when each `reactions` message went out.
function reactions() {
	const clock = new ManualClock();
	const sent: { at: number; data: unknown }[] = [];
	const notifier = { broadcast: (_type: string, data: unknown) => sent.push({ at: clock.now(), data }) };
	const state = { isOnStage: () => false };
	const room = new RoomReactions({
		notifier: notifier as unknown as RoomNotifier,
		state: state as unknown as LiveState,
		clock,
		perSecond: 100,
		burst: 100,
	});

	return { clock, sent, room, start: clock.now() };
}

test('in a quiet room a reaction goes out after the short gathering window, not a whole tick', () => {
	const { clock, sent, room, start } = reactions();
	room.add('a', 'heart');
	clock.advance(20);
	room.add('b', 'heart');
	clock.advance(REACTION_TICK_MS);
	expect(sent).toEqual([{ at: start + 50, data: { counts: [{ reaction: 'heart', count: 2 }], aimed: [] } }]);
});

test('in a busy room messages are a tick apart at least, whatever the rate of reactions', () => {
	const { clock, sent, room } = reactions();
	for (let ms = 0; ms < 2000; ms += 10) {
		room.add(`u${ms % 70}`, 'clap');
		clock.advance(10);
	}
	clock.advance(REACTION_TICK_MS);
	const gaps = sent.slice(1).map((m, i) => m.at - (sent[i]?.at ?? 0));
	expect(Math.min(...gaps)).toBeGreaterThanOrEqual(REACTION_TICK_MS);
	expect(sent.length).toBeLessThanOrEqual(Math.ceil(2000 / REACTION_TICK_MS) + 1);
	// Every reaction is counted once.
	const total = sent.reduce(
		(sum, m) => sum + (m.data as { counts: { count: number }[] }).counts[0]!.count,
		0
	);
	expect(total).toBe(200);
});
