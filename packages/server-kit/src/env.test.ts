import { Type } from 'typebox';
import { describe, expect, test } from 'vitest';
import { envInt, envPem, envReader } from './env.js';

describe('envReader', () => {
	const read = envReader(
		Type.Object({
			PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
			NAME: Type.String({ minLength: 1 }),
		})
	);

	test('keeps the variables the schema names, empty ones counted as unset', () => {
		expect(read({ NAME: 'majlis', PORT: '', OTHER: 'x' })).toEqual({ NAME: 'majlis' });
	});

	test('names the first bad variable', () => {
		expect(() => read({ NAME: 'majlis', PORT: 'eighty' })).toThrow(/^invalid environment: PORT: /);
		expect(() => read({ NAME: '' })).toThrow(TypeError);
	});
});

test('envInt and envPem', () => {
	expect(envInt('8080')).toBe(8080);
	expect(envInt(undefined)).toBeUndefined();
	expect(envPem('-----BEGIN KEY-----\\nabc\\n-----END KEY-----\\n')).toBe(
		'-----BEGIN KEY-----\nabc\n-----END KEY-----'
	);
});
