import { describe, expect, test } from 'vitest';
import { isUpcoming, STALE_AFTER_MS } from './upcoming';

describe('isUpcoming()', () => {
	const now = Date.UTC(2026, 11, 1, 20, 0);
	const at = (ms: number) => new Date(ms).toISOString();

	test('rooms ahead, without a time, or just past their time stay; long-past ones go', () => {
		expect(isUpcoming({ state: 'scheduled', scheduledFor: at(now + 60_000) }, now)).toBe(true);
		expect(isUpcoming({ state: 'scheduled', scheduledFor: null }, now)).toBe(true);
		expect(isUpcoming({ state: 'scheduled', scheduledFor: at(now - 10 * 60_000) }, now)).toBe(true);
		expect(isUpcoming({ state: 'scheduled', scheduledFor: at(now - STALE_AFTER_MS) }, now)).toBe(false);
		expect(isUpcoming({ state: 'live', scheduledFor: at(now + 60_000) }, now)).toBe(false);
	});
});
