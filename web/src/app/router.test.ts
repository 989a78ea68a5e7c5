import { describe, expect, test } from 'vitest';
import { loginPath, parseRoute } from './router';

describe('parseRoute()', () => {
	test.each([
		['/', '', { name: 'home' }],
		['/login', '?next=%2Frooms%2Fabc', { name: 'login', next: '/rooms/abc' }],
		['/signup', '?next=https://evil.example', { name: 'signup', next: null }],
		['/login', '?next=//evil.example', { name: 'login', next: null }],
		['/schedule', '', { name: 'schedule' }],
		['/rooms/abc-1', '', { name: 'room', id: 'abc-1' }],
		['/rooms/abc-1/', '', { name: 'room', id: 'abc-1' }],
		['/rooms/abc-1/edit', '', { name: 'edit', id: 'abc-1' }],
		['/settings', '', { name: 'settings' }],
		['/nope', '', { name: 'notFound' }],
		// Reach (issue 14).
		['/u/layla_h', '', { name: 'profile', handle: 'layla_h' }],
		['/u/layla_h/', '', { name: 'profile', handle: 'layla_h' }],
		['/settings', '', { name: 'settings' }],
		// The embeddable player (#18).
		['/embed/rooms/abc-1', '?lang=ar', { name: 'embed', id: 'abc-1' }],
		['/embed/rooms/abc-1/', '', { name: 'embed', id: 'abc-1' }],
	])('%s%s', (path, search, route) => {
		expect(parseRoute(path, search)).toEqual(route);
	});
});

describe('loginPath()', () => {
	test.each([
		['/rooms/abc', 'login', '/login?next=%2Frooms%2Fabc'],
		['/schedule', 'signup', '/signup?next=%2Fschedule'],
		['/', 'login', '/login'],
		['/login?next=%2Fx', 'login', '/login'],
		['//evil.example', 'login', '/login'],
	] as const)('%s (%s) → %s', (next, page, path) => {
		expect(loginPath(next, page)).toBe(path);
	});
});
