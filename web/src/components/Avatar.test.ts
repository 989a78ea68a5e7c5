import { describe, expect, test } from 'vitest';
import { initials } from './Avatar';

describe('initials', () => {
	test('first and last word, upper-cased', () => {
		expect(initials('Layla Nasser')).toBe('LN');
		expect(initials('  omar  ')).toBe('O');
		expect(initials('Maya de la Cruz')).toBe('MC');
	});

	test('Arabic names skip the definite article of a word', () => {
		expect(initials('نور الهدى')).toBe('نه');
		expect(initials('طارق الحسن')).toBe('طح');
		expect(initials('يوسف حداد')).toBe('يح');
		// A short word that merely starts with ال stays whole.
		expect(initials('علي الم')).toBe('عا');
	});

	test('both initials come from one script', () => {
		expect(initials('Omar عمر')).toBe('O');
		expect(initials('عمر Omar')).toBe('ع');
		expect(initials('Omar عمر Haddad')).toBe('OH');
		expect(initials('ليلى Nasser حداد')).toBe('لح');
	});
});
