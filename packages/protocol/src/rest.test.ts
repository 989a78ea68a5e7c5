import { describe, expect, test } from 'vitest';
import { compile } from './checker.js';
import {
	CreateRoomBodySchema,
	isHandle,
	ROOM_LIMITS,
	SignupBodySchema,
	UpdateRoomBodySchema,
	USER_LIMITS,
} from './rest.js';

const create = compile(CreateRoomBodySchema);
const update = compile(UpdateRoomBodySchema);
const signup = compile(SignupBodySchema);

describe('isHandle()', () => {
	test.each(['abc', 'Sara_99', 'a'.repeat(USER_LIMITS.handle.max)])('accepts %s', (handle) => {
		expect(isHandle(handle)).toBe(true);
	});

	test.each(['ab', 'a'.repeat(USER_LIMITS.handle.max + 1), 'has space', 'سارة', 'dash-ed', ''])(
		'refuses %s',
		(handle) => {
			expect(isHandle(handle)).toBe(false);
		}
	);
});

describe('room bodies', () => {
	test('hold the title, description, topic and stage limits', () => {
		const body = { title: 'Majlis', visibility: 'public' as const };
		expect(create.check({ ...body, title: 'x'.repeat(ROOM_LIMITS.title.max) })).toBe(true);
		expect(create.check({ ...body, title: 'x'.repeat(ROOM_LIMITS.title.max + 1) })).toBe(false);
		expect(create.check({ ...body, description: 'x'.repeat(ROOM_LIMITS.description.max + 1) })).toBe(false);
		expect(create.check({ ...body, topics: Array(ROOM_LIMITS.topics).fill('a') })).toBe(true);
		expect(create.check({ ...body, topics: Array(ROOM_LIMITS.topics + 1).fill('a') })).toBe(false);
		expect(create.check({ ...body, topics: ['x'.repeat(ROOM_LIMITS.topic.max + 1)] })).toBe(false);
		expect(create.check({ ...body, maxSpeakers: ROOM_LIMITS.speakers.max })).toBe(true);
		expect(create.check({ ...body, maxSpeakers: ROOM_LIMITS.speakers.max + 1 })).toBe(false);
		expect(create.check({ ...body, maxSpeakers: ROOM_LIMITS.speakers.min - 1 })).toBe(false);
	});

	test('refuse control characters in a title but not newlines in a description', () => {
		expect(update.check({ title: 'a\nb' })).toBe(false);
		expect(update.check({ description: 'a\nb' })).toBe(true);
		expect(update.check({ description: 'a\u0000b' })).toBe(false);
	});

	test('an update may send any subset, a create needs a title and a visibility', () => {
		expect(update.check({})).toBe(true);
		expect(create.check({ title: 'x' })).toBe(false);
	});
});

describe('SignupBodySchema', () => {
	test('holds the handle, display name and password limits', () => {
		const body = { handle: 'sara', displayName: 'Sara', password: 'x'.repeat(USER_LIMITS.password.min) };
		expect(signup.check(body)).toBe(true);
		expect(signup.check({ ...body, password: 'x'.repeat(USER_LIMITS.password.min - 1) })).toBe(false);
		expect(signup.check({ ...body, handle: 'no way' })).toBe(false);
		expect(signup.check({ ...body, displayName: 'x'.repeat(USER_LIMITS.displayName.max + 1) })).toBe(false);
	});
});
