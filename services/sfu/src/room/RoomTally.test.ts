import { describe, expect, test } from 'vitest';
import { RoomTally } from './RoomTally.js';

describe('RoomTally', () => {
	test('peak and distinct people follow the joins; a rejoin is the same person', () => {
		const tally = new RoomTally();
		tally.joined('a', 1);
		tally.joined('b', 2);
		tally.joined('c', 3);
		tally.joined('b', 2);
		expect(tally.summary(0)).toMatchObject({ peakListeners: 3, uniqueListeners: 3, handRaises: 0 });
	});

	test('speaking time adds the spans between the reports that name a speaker and the first that does not', () => {
		const tally = new RoomTally();
		tally.speaking(['a'], 1000);
		tally.speaking(['a', 'b'], 1300);
		tally.speaking(['b'], 2000);
		tally.speaking([], 2600);
		tally.speaking(['a'], 5000);
		tally.handRaised();
		expect(tally.summary(5500)).toEqual({
			peakListeners: 0,
			uniqueListeners: 0,
			handRaises: 1,
			speakers: [
				{ userId: 'a', speakingMs: 1000 + 500 },
				{ userId: 'b', speakingMs: 1300 },
			],
		});
	});
});
