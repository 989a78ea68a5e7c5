import { expect, test } from 'vitest';
import { parseFrameAncestors } from './env-values.js';

test('EMBED_FRAME_ANCESTORS: default any site; CSP sources split on spaces or commas', () => {
	expect(parseFrameAncestors(undefined)).toEqual(['*']);
	expect(parseFrameAncestors('  ')).toEqual(['*']);
	expect(parseFrameAncestors("'self' https://blog.example, https://*.news.example:8443 https:")).toEqual([
		"'self'",
		'https://blog.example',
		'https://*.news.example:8443',
		'https:',
	]);
	expect(parseFrameAncestors("'none'")).toEqual(["'none'"]);
});

test('EMBED_FRAME_ANCESTORS refuses what is not a CSP source, and none with others', () => {
	for (const bad of [
		'blog.example;script-src *',
		"'unsafe-inline'",
		'https://a.example/path',
		"'none' https:",
	]) {
		expect(() => parseFrameAncestors(bad), bad).toThrow(/EMBED_FRAME_ANCESTORS/);
	}
});
