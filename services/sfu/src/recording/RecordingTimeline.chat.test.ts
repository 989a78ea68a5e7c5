import { describe, expect, test } from 'vitest';
import { RecordingTimeline } from './RecordingTimeline.js';

const user = { id: '11111111-1111-4111-8111-111111111111', handle: 'layla', displayName: 'Layla' };

describe('RecordingTimeline chat', () => {
	test('keeps the chat in time order from the start, without deleted messages', () => {
		const timeline = new RecordingTimeline(1_000);
		timeline.chat(1_500, { id: 'a', user, text: 'مرحبا' });
		timeline.chat(2_250, { id: 'b', user, text: 'spam' });
		timeline.chat(3_000, { id: 'c', user, text: 'welcome' });
		timeline.chatDeleted('b');
		expect(timeline.finish(4_000).chat).toEqual([
			{ atMs: 500, messageId: 'a', user, text: 'مرحبا' },
			{ atMs: 2_000, messageId: 'c', user, text: 'welcome' },
		]);
	});
});
