import { describe, expect, test } from 'vitest';
import { ErrorCode } from './errors.js';
import { parseClientFrame } from './validate.js';
import { PROTOCOL_VERSION } from './version.js';

describe('parseClientFrame()', () => {
	test('accepts a well-formed request and returns its data', () => {
		const r = parseClientFrame(
			JSON.stringify({
				id: 7,
				type: 'session:join',
				data: { ticket: 't', protocolVersion: PROTOCOL_VERSION },
			})
		);
		expect(r).toEqual({
			ok: true,
			id: 7,
			type: 'session:join',
			data: { ticket: 't', protocolVersion: PROTOCOL_VERSION },
		});
	});

	test('defaults missing data to {} for requests without fields', () => {
		expect(parseClientFrame('{"id":1,"type":"hand:raise"}')).toMatchObject({ ok: true, data: {} });
	});

	test.each([
		['not JSON', '{', null],
		['an array', '[]', null],
		['a missing id', '{"type":"hand:raise"}', null],
		['a negative id', '{"id":-1,"type":"hand:raise"}', null],
		['an unknown type', '{"id":3,"type":"nope"}', 3],
		['a prototype key as type', '{"id":4,"type":"__proto__"}', 4],
		['a toString type', '{"id":4,"type":"toString"}', 4],
		['extra envelope fields', '{"id":5,"type":"hand:raise","x":1}', 5],
		['extra data fields', '{"id":6,"type":"hand:raise","data":{"a":1}}', 6],
		['wrongly typed data', '{"id":8,"type":"stage:invite","data":{"userId":42}}', 8],
		['a non-uuid target', '{"id":9,"type":"speaker:mute","data":{"userId":"bob"}}', 9],
		['a polluted data object', '{"id":10,"type":"stage:invite","data":{"__proto__":{"admin":true}}}', 10],
	])('refuses %s with bad_request', (_name, raw, id) => {
		const r = parseClientFrame(raw);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error.code).toBe(ErrorCode.BadRequest);
			expect(r.id).toBe(id);
			expect(r.error.message.length).toBeGreaterThan(0);
		}
		expect(({} as Record<string, unknown>).admin).toBeUndefined();
	});
});
