import { expect, test } from 'vitest';
import { htmlToText } from './inbox-listeners.js';

test('htmlToText keeps the words and line breaks of a post, not its markup', () => {
	expect(
		htmlToText('<p>🔴 Live now: <a href="https://m.example/rooms/1">Tea &amp; talk</a></p><p>Come<br>in</p>')
	).toBe('🔴 Live now: Tea & talk\n\nCome\nin');
	expect(htmlToText('<script>alert(1)</script>&lt;b&gt;')).toBe('alert(1)<b>');
	expect(htmlToText(`<p>${'a'.repeat(6000)}</p>`)).toHaveLength(5000);
});
