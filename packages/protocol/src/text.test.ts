import { describe, expect, test } from 'vitest';
import { hasVisibleText } from './text.js';

describe('hasVisibleText()', () => {
	test('names with letters in any script are visible', () => {
		expect(hasVisibleText('Layla')).toBe(true);
		expect(hasVisibleText(' ليلى ')).toBe(true);
		expect(hasVisibleText('\u200Bx')).toBe(true);
	});

	test('white space, zero-width and filler characters alone are not', () => {
		expect(hasVisibleText('')).toBe(false);
		expect(hasVisibleText('   \t')).toBe(false);
		expect(hasVisibleText('\u200B\u200C\u200D\u2060\uFEFF')).toBe(false);
		expect(hasVisibleText('\u200E\u200F\u3164\u2800')).toBe(false);
	});
});
