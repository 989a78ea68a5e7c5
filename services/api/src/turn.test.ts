import { describe, expect, test } from 'vitest';
import { DEFAULT_TURN_TTL_SECONDS, parseTurn } from './turn.js';

const SECRET = 'a-turn-secret-of-16+';

describe('parseTurn()', () => {
	test('no TURN_URLS: no TURN', () => {
		expect(parseTurn({})).toBeUndefined();
		expect(parseTurn({ TURN_URLS: ' , ' })).toBeUndefined();
		// A secret alone (compose always mounts one) does not switch TURN on.
		expect(parseTurn({ TURN_SECRET: SECRET, TURN_TTL_SECONDS: '600' })).toBeUndefined();
	});

	test('reads comma-separated turn:/turns: URLs, the secret and the default TTL', () => {
		expect(
			parseTurn({
				TURN_URLS:
					'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:443?transport=tcp,turn:[2001:db8::1]',
				TURN_SECRET: SECRET,
			})
		).toEqual({
			urls: [
				'turn:turn.example.org:3478?transport=udp',
				'turns:turn.example.org:443?transport=tcp',
				'turn:[2001:db8::1]',
			],
			secret: SECRET,
			ttlSeconds: DEFAULT_TURN_TTL_SECONDS,
		});
		expect(
			parseTurn({ TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: SECRET, TURN_TTL_SECONDS: '60' })?.ttlSeconds
		).toBe(60);
	});

	test.each([
		[{ TURN_URLS: 'stun:turn.example.org', TURN_SECRET: SECRET }, 'TURN_URLS: "stun:turn.example.org"'],
		[{ TURN_URLS: 'https://turn.example.org', TURN_SECRET: SECRET }, 'is not a turn: or turns: URL'],
		[{ TURN_URLS: 'turn:a.example.org?transport=sctp', TURN_SECRET: SECRET }, 'TURN_URLS'],
		[{ TURN_URLS: 'turn:turn.example.org' }, 'TURN_SECRET (at least 16 characters) is required'],
		[{ TURN_URLS: 'turn:turn.example.org', TURN_SECRET: 'short' }, 'TURN_SECRET'],
		[{ TURN_URLS: 'turn:turn.example.org', TURN_SECRET: SECRET, TURN_TTL_SECONDS: '59' }, 'TURN_TTL_SECONDS'],
		[{ TURN_URLS: 'turn:turn.example.org', TURN_SECRET: SECRET, TURN_TTL_SECONDS: '1h' }, 'TURN_TTL_SECONDS'],
		[
			{ TURN_URLS: 'turn:turn.example.org', TURN_SECRET: SECRET, TURN_TTL_SECONDS: '604801' },
			'TURN_TTL_SECONDS',
		],
	])('refuses %o, naming the variable', (env, message) => {
		expect(() => parseTurn(env)).toThrow(message);
	});
});
