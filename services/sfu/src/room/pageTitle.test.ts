import { describe, expect, test } from 'vitest';
import { fetchPageTitle, isPrivateAddress, titleOf } from './pageTitle.js';

describe('page titles for pinned links', () => {
	test('reads the first title, decoding entities and collapsing white space', () => {
		expect(titleOf('<html><head><title>\n  Tom &amp; Jerry &#8211; الحلقة &lt;1&gt;\n</title>')).toBe(
			'Tom & Jerry – الحلقة <1>'
		);
		expect(titleOf('<p>no title</p>')).toBeNull();
		expect(titleOf('<title>   </title>')).toBeNull();
	});

	test('refuses loopback, private, link-local and mapped addresses', () => {
		for (const address of [
			'127.0.0.1',
			'10.1.2.3',
			'172.20.0.1',
			'192.168.1.1',
			'169.254.169.254',
			'::1',
			'fd00::1',
			'fe80::1',
			'::ffff:127.0.0.1',
			'::ffff:7f00:1',
			'0.0.0.0',
			'not-an-ip',
		]) {
			expect(isPrivateAddress(address), address).toBe(true);
		}
		expect(isPrivateAddress('93.184.216.34')).toBe(false);
		expect(isPrivateAddress('2606:4700::1111')).toBe(false);
	});

	test('never fetches from this machine or a private network, nor over http', async () => {
		for (const url of [
			'https://127.0.0.1/',
			'https://localhost/',
			'https://[::1]/',
			'https://[::ffff:127.0.0.1]/',
			'https://10.0.0.1/',
			'http://example.org/',
			'https://user:pw@example.org/',
		]) {
			await expect(fetchPageTitle(url, { timeoutMs: 1000 }), url).resolves.toBeNull();
		}
	});
});
