import { describe, expect, test } from 'vitest';
import { commaList } from './commaList.js';

describe('commaList', () => {
	test('items are trimmed and empty ones dropped; unset is none', () => {
		expect(commaList(' amal, ,badr ,')).toEqual(['amal', 'badr']);
		expect(commaList('')).toEqual([]);
		expect(commaList(undefined)).toEqual([]);
	});
});
