import { expect, test } from 'vitest';
import { parseSse } from './notificationStream';

test('parseSse: complete events, comments skipped, the unfinished rest kept', () => {
	const { data, rest } = parseSse(
		': keep-alive\n\nevent: unread\ndata: {"type":"unread","unread":2}\n\nevent: notif'
	);
	expect(data).toEqual(['{"type":"unread","unread":2}']);
	expect(rest).toBe('event: notif');
	expect(parseSse('data: a\r\ndata: b\r\n\r\n').data).toEqual(['a\nb']);
});
