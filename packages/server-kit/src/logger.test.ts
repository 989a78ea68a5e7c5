import { describe, expect, test } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
	const lines: string[] = [];

	return { lines, stream: { write: (line: string) => lines.push(line) } };
}

describe('createLogger()', () => {
	test('redacts passwords, tokens, tickets, secrets and auth headers wherever they sit', () => {
		const { lines, stream } = capture();
		const log = createLogger('test', 'info', stream);
		log.info({ password: 'hunter22', body: { password: 'hunter23', token: 'eyJ.a.b' } }, 'signup');
		log.info({ data: { ticket: 'eyJ.t.t' }, secret: 'S3CRET' }, 'join');
		log.info({ req: { headers: { authorization: 'Bearer eyJ.x.y', cookie: 'sid=1' } } }, 'request');
		const out = lines.join('');
		for (const leaked of ['hunter22', 'hunter23', 'eyJ.a.b', 'eyJ.t.t', 'S3CRET', 'eyJ.x.y', 'sid=1']) {
			expect(out).not.toContain(leaked);
		}
		expect(out.match(/\[redacted\]/g)?.length).toBe(7);
	});

	test('keeps ordinary fields', () => {
		const { lines, stream } = capture();
		createLogger('test', 'info', stream).info({ roomId: 'r1', peerId: 'p1' }, 'join() | ok');
		expect(JSON.parse(lines[0]!)).toMatchObject({ name: 'test', roomId: 'r1', peerId: 'p1', msg: 'join() | ok' });
	});
});
