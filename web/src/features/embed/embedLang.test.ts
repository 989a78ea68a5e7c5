import { describe, expect, test } from 'vitest';
import { embedLang, isEmbedPath } from './embedLang';

describe('embedLang()', () => {
	test.each([
		['?lang=ar', ['en-US'], 'ar'],
		['?lang=EN', ['ar-EG'], 'en'],
		// An unknown `lang` falls back to the browser, as no `lang` does.
		['?lang=fr', ['ar-SA', 'en'], 'ar'],
		['', ['ar'], 'ar'],
		['', ['en-GB'], 'en'],
		['', [], 'en'],
	] as const)('%s with browser %j → %s', (search, languages, lang) => {
		expect(embedLang(search, languages)).toBe(lang);
	});
});

test('isEmbedPath() is true for the player only', () => {
	expect(isEmbedPath('/embed/rooms/abc')).toBe(true);
	expect(isEmbedPath('/rooms/abc')).toBe(false);
	expect(isEmbedPath('/embedded')).toBe(false);
});
