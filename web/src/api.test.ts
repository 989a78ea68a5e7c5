import { describe, expect, test } from 'vitest';
import { normalizeFields, retryAfterOf } from './api';
import { fieldProblem } from './features/auth/fieldErrors';

describe('normalizeFields()', () => {
	test('keys field problems by the last path segment', () => {
		expect(normalizeFields({ '/handle': 'too short', 'body.password': 'weak', title: 'required' })).toEqual({
			handle: 'too short',
			password: 'weak',
			title: 'required',
		});
		expect(normalizeFields(undefined)).toEqual({});
	});
});

describe('fieldProblem()', () => {
	test('translates the usual validator messages and keeps others verbatim', () => {
		expect(fieldProblem('handle', 'already taken', 'conflict')).toEqual({ key: 'validation.taken' });
		expect(fieldProblem('handle', 'must match pattern "^[a-z0-9_]+$"', 'bad_request')).toEqual({
			key: 'validation.handle',
		});
		expect(fieldProblem('password', 'must NOT have fewer than 8 characters', 'bad_request')).toEqual({
			key: 'validation.password',
		});
		expect(fieldProblem('title', 'must have required property', 'bad_request')).toEqual({
			key: 'validation.required',
		});
		expect(fieldProblem('topics', 'something odd', 'bad_request')).toEqual({ text: 'something odd' });
	});
});

describe('retryAfterOf()', () => {
	test('takes the body, else the Retry-After seconds, rounded up; nothing otherwise', () => {
		expect(retryAfterOf({ error: { code: 'rate_limited', message: '', retryAfter: 12.2 } }, '99')).toBe(13);
		expect(retryAfterOf(undefined, ' 30 ')).toBe(30);
		expect(retryAfterOf(undefined, 'Wed, 21 Oct 2026 07:28:00 GMT')).toBeNull();
		expect(retryAfterOf({ error: {} }, null)).toBeNull();
	});
});
