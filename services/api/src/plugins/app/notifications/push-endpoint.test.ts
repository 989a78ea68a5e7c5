import { describe, expect, test } from 'vitest';
import { isAllowedPushAddress, pushEndpointProblem } from './push-endpoint.js';

describe('push endpoints', () => {
	test('public addresses only; loopback only when allowed (tests), private ranges never', () => {
		expect(isAllowedPushAddress('142.250.74.110', false)).toBe(true);
		expect(isAllowedPushAddress('2a00:1450:4001:80e::200a', false)).toBe(true);
		for (const address of ['10.1.2.3', '192.168.1.1', '169.254.169.254', 'fd00::1', '::ffff:10.0.0.1']) {
			expect([address, isAllowedPushAddress(address, true)]).toEqual([address, false]);
		}
		for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
			expect([address, isAllowedPushAddress(address, false)]).toEqual([address, false]);
			expect([address, isAllowedPushAddress(address, true)]).toEqual([address, true]);
		}
	});

	test('an endpoint URL is https, without credentials, and not a private literal', () => {
		expect(pushEndpointProblem('https://push.example.org/abc', false)).toBeNull();
		expect(pushEndpointProblem('http://push.example.org/abc', false)).toBe('must be an https URL');
		expect(pushEndpointProblem('https://u:p@push.example.org/abc', false)).toBe('must not carry credentials');
		expect(pushEndpointProblem('https://10.0.0.1/abc', false)).toBe('must be a public address');
		expect(pushEndpointProblem('https://localhost/abc', false)).toBe('must be a public address');
		expect(pushEndpointProblem('https://127.0.0.1:8443/abc', true)).toBeNull();
	});
});
