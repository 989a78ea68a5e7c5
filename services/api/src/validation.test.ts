import type { ErrorObject } from 'ajv';
import { Type } from 'typebox';
import { describe, expect, test } from 'vitest';
import { UuidSchema } from './schemas/common.js';
import { CreateRoomBodySchema, ListRoomsQuerySchema } from './schemas/rooms.js';
import { SignupBodySchema } from './schemas/users.js';
import { createValidatorCompiler, fieldErrors } from './validation.js';

type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

const compiler = createValidatorCompiler();
function validator(schema: object, httpPart = 'body'): Validate {
	return compiler({ schema, httpPart, method: 'POST', url: '/x' }) as unknown as Validate;
}

function problems(schema: object, value: unknown, httpPart = 'body'): Record<string, string> {
	const validate = validator(schema, httpPart);
	expect(validate(value)).toBe(false);

	return fieldErrors(validate.errors ?? [], httpPart);
}

describe('createValidatorCompiler()', () => {
	test('strips unknown body fields instead of refusing them', () => {
		const validate = validator(CreateRoomBodySchema);
		const body = { title: 't', visibility: 'public', admin: true };
		expect(validate(body)).toBe(true);
		expect(body).toEqual({ title: 't', visibility: 'public' });
	});

	test('does not coerce bodies, but coerces querystrings', () => {
		expect(problems(CreateRoomBodySchema, { title: 't', visibility: 'public', maxSpeakers: '5' })).toEqual({
			maxSpeakers: 'must be an integer',
		});
		const query: Record<string, unknown> = { limit: '7' };
		expect(validator(ListRoomsQuerySchema, 'querystring')(query)).toBe(true);
		expect(query.limit).toBe(7);
	});

	test('fills query defaults', () => {
		const query: Record<string, unknown> = {};
		expect(validator(ListRoomsQuerySchema, 'querystring')(query)).toBe(true);
		expect(query.limit).toBe(20);
	});
});

describe('fieldErrors()', () => {
	test('one message per field, worded from the schema limits', () => {
		expect(
			problems(CreateRoomBodySchema, {
				title: '',
				visibility: 'secret',
				topics: ['a', 'b', 'c', 'd'],
				maxSpeakers: 99,
				description: 'x'.repeat(1001),
				speakRequests: 7,
			})
		).toEqual({
			title: 'must be 1–100 characters',
			visibility: 'must be one of "public", "unlisted", "private"',
			topics: 'must be at most 3 items',
			maxSpeakers: 'must be between 1 and 50',
			description: 'must be at most 1000 characters',
			speakRequests: 'must be one of "everyone", "invited", "off"',
		});
	});

	test('names missing fields and nested paths', () => {
		expect(problems(CreateRoomBodySchema, { topics: ['ok', 'x'.repeat(31)] })).toEqual({
			title: 'is required',
			visibility: 'is required',
			'topics.1': 'must be 1–30 characters',
		});
	});

	test('explains formats and patterns', () => {
		expect(
			problems(CreateRoomBodySchema, { title: 'a\u0000b', visibility: 'public', scheduledFor: 'tomorrow' })
		).toEqual({
			title: 'must not contain control characters',
			scheduledFor: 'must be an ISO 8601 date-time with a time zone',
		});
		expect(problems(SignupBodySchema, { handle: 'no spaces', displayName: 'x', password: 'short' })).toEqual({
			handle: 'must contain only a-z, 0-9 and _',
			password: 'must be 8–1024 characters',
		});
		expect(
			problems(
				Type.Object({ id: UuidSchema }),
				{ id: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' },
				'params'
			)
		).toEqual({
			id: 'must be a UUID',
		});
	});

	test('a wrong body type is reported on the part itself', () => {
		expect(problems(CreateRoomBodySchema, null)).toEqual({ body: 'must be an object' });
		expect(problems(CreateRoomBodySchema, [])).toEqual({ body: 'must be an object' });
	});
});
