import { describe, expect, test } from 'vitest';
import { normaliseForFilter, WordFilter } from './wordFilter.js';

describe('WordFilter', () => {
	const filter = new WordFilter(['سيء', 'badword', 'كلمة']);

	test('blocks a listed word whatever its case, and only whole words', () => {
		expect(filter.blocks('this is a BadWord here')).toBe(true);
		expect(filter.blocks('badwords are fine')).toBe(false);
		expect(filter.blocks('nothing to see')).toBe(false);
	});

	test('folds Arabic as people write it: tashkeel, tatweel, alef and yeh forms, ta marbuta, stretched letters', () => {
		expect(normaliseForFilter('أَهْلاً')).toBe(normaliseForFilter('اهلا'));
		expect(normaliseForFilter('مدرسة')).toBe(normaliseForFilter('مدرسه'));
		expect(normaliseForFilter('على')).toBe(normaliseForFilter('علي'));
		expect(filter.blocks('هذا سَيِّء جداً')).toBe(true);
		expect(filter.blocks('كلـــمة')).toBe(true);
		expect(filter.blocks('كلممممة')).toBe(true);
		expect(filter.blocks('كلمه')).toBe(true);
	});

	test('sees through a glued article or conjunction and invisible characters', () => {
		expect(filter.blocks('والكلمة')).toBe(true);
		expect(filter.blocks('بال\u200Bكلمة')).toBe(true);
		expect(filter.blocks('bad\u200Bword')).toBe(true);
	});

	test('an empty list blocks nothing', () => {
		expect(new WordFilter([' ', '']).blocks('anything')).toBe(false);
	});
});
