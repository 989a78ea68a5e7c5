import type { SelfState } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { HandRestore } from './HandRestore';

const self = (state: Partial<SelfState> = {}): SelfState =>
	({ handRaised: false, onStage: false, ...state }) as SelfState;

describe('HandRestore', () => {
	test('a hand up when the connection dropped is raised again when the new session lost it', () => {
		const hand = new HandRestore();
		hand.dropped(true);
		hand.snapshot();
		expect(hand.shouldRaise(self())).toBe(true);
		expect(hand.shouldRaise(self({ handRaised: true }))).toBe(false);
		expect(hand.shouldRaise(self({ onStage: true }))).toBe(false);
		expect(hand.shouldRaise(undefined)).toBe(false);
	});

	test('a hand down when it dropped is left down', () => {
		const hand = new HandRestore();
		hand.dropped(false);
		hand.snapshot();
		expect(hand.shouldRaise(self())).toBe(false);
	});

	test('a failed attempt in between (hand unknown) keeps what the first drop saw until a reconnect clears it', () => {
		const hand = new HandRestore();
		hand.dropped(true);
		hand.dropped(false);
		hand.snapshot();
		expect(hand.shouldRaise(self())).toBe(true);
		hand.clear();
		hand.dropped(false);
		hand.snapshot();
		expect(hand.shouldRaise(self())).toBe(false);
	});

	test('lowering the hand on purpose while reconnecting means it stays down', () => {
		const hand = new HandRestore();
		hand.dropped(true);
		hand.clear();
		hand.snapshot();
		expect(hand.shouldRaise(self())).toBe(false);
	});
});
