import { describe, expect, test } from 'vitest';
import { parseTopics } from './topics';

describe('parseTopics()', () => {
	test('splits on Latin and Arabic commas, trims, drops # and duplicates', () => {
		expect(parseTopics(' design, #music ,, design')).toEqual(['design', 'music']);
		expect(parseTopics('تصميم، موسيقى')).toEqual(['تصميم', 'موسيقى']);
		expect(parseTopics('   ')).toEqual([]);
	});
});
