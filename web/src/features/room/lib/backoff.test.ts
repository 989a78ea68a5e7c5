import { describe, expect, test } from 'vitest';
import { RECONNECT_BASE_MS, RECONNECT_MAX_MS, reconnectDelay } from './backoff';

describe('reconnectDelay()', () => {
	test('doubles per attempt up to the cap, jittered between half and all of it', () => {
		expect(reconnectDelay(0, () => 1)).toBe(RECONNECT_BASE_MS);
		expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_BASE_MS / 2);
		expect(reconnectDelay(3, () => 1)).toBe(RECONNECT_BASE_MS * 8);
		expect(reconnectDelay(30, () => 1)).toBe(RECONNECT_MAX_MS);
		expect(reconnectDelay(30, () => 0)).toBe(RECONNECT_MAX_MS / 2);
	});
});
