import { describe, expect, test } from 'vitest';
import { foldedWords, foldText, searchDocument } from './fold.js';

describe('folding', () => {
	test('alef forms, taa marbuta, alef maqsura, tashkeel and tatweel fold away', () => {
		expect(foldText('الإسلام')).toBe('الاسلام');
		expect(foldText('أآٱإ')).toBe('اااا');
		expect(foldText('مدرسة')).toBe(foldText('مدرسه'));
		expect(foldText('مستشفى')).toBe('مستشفي');
		expect(foldText('مَدْرَسَةٌ')).toBe('مدرسه');
		expect(foldText('كـــتاب')).toBe('كتاب');
		expect(foldText('Hello')).toBe('hello');
	});

	test('words split on anything that is not a letter or digit', () => {
		expect(foldedWords('الإسلام، اليوم! (2026)')).toEqual(['الاسلام', 'اليوم', '2026']);
	});

	test('a search document also holds Arabic words without the article', () => {
		expect(searchDocument(['والإسلام اليوم', 'بيت']).split(' ').sort()).toEqual(
			['والاسلام', 'اسلام', 'الاسلام', 'اليوم', 'يوم', 'بيت'].sort()
		);
	});
});
