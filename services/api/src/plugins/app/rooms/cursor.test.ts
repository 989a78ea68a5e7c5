import { describe, expect, test } from 'vitest';
import { compareLive, decodeCursor, encodeCursor, type LiveKey } from './cursor.js';

const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';

describe('cursors', () => {
	test.each([
		{ p: 'live' as const, n: 3, t: 1700000000000, id: ID_A },
		{ p: 'live' as const, n: 0, t: null, id: ID_A },
		{ p: 'scheduled' as const, t: null, id: ID_B },
		{ p: 'ended' as const, t: 1700000000123, id: ID_B },
	])('round-trips %o', (key) => {
		const cursor = encodeCursor(key);
		expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeCursor(cursor)).toEqual(key);
	});

	test.each([
		'',
		'!!!',
		Buffer.from('{"p":"live"}').toString('base64url'),
		Buffer.from('{"p":"ended","t":null,"id":"x"}').toString('base64url'),
		Buffer.from(`{"p":"live","n":-1,"t":0,"id":"${ID_A}"}`).toString('base64url'),
		Buffer.from('[]').toString('base64url'),
	])('refuses %j', (cursor) => {
		expect(decodeCursor(cursor)).toBeUndefined();
	});
});

test('compareLive(): listeners desc, then start asc (unknown last), then id', () => {
	const keys: LiveKey[] = [
		{ p: 'live', n: 1, t: 5, id: ID_A },
		{ p: 'live', n: 9, t: 7, id: ID_A },
		{ p: 'live', n: 1, t: null, id: ID_A },
		{ p: 'live', n: 1, t: 3, id: ID_B },
		{ p: 'live', n: 1, t: 3, id: ID_A },
	];
	expect([...keys].sort(compareLive)).toEqual([keys[1], keys[4], keys[3], keys[0], keys[2]]);
});
