import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type PostgresHandle } from '@majlis/server-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type MajlisHandle, startMajlis } from '../src/startMajlis.js';

// The launcher is what every documented deployment runs behind its TLS proxy: it must read the client
// address from X-Forwarded-For as TRUST_PROXY says, or all callers share the proxy's rate-limit bucket.

const repoRoot = join(import.meta.dirname, '../../..');
let dataDir: string;
let db: PostgresHandle;
let majlis: MajlisHandle;

beforeAll(async () => {
	dataDir = await mkdtemp(join(tmpdir(), 'majlis-proxy-'));
	db = await createTestDatabase();
	const config = await loadConfig(
		{
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			DATABASE_URL: db.url,
			JWT_SECRET: 'launcher-test-secret-at-least-32-bytes',
			MAJLIS_ROLE: 'api',
			TRUST_PROXY: '1',
			CORS_ORIGINS: 'https://app.example',
		},
		repoRoot
	);
	majlis = await startMajlis(config);
});
afterAll(async () => {
	await majlis?.close();
	await db?.stop();
	await rm(dataDir, { recursive: true, force: true });
});

function failedLogin(forwardedFor: string) {
	return majlis.app.inject({
		method: 'POST',
		url: '/api/auth/login',
		headers: { 'x-forwarded-for': forwardedFor },
		// A new handle each time: only the per-address bucket fills, not a per-handle one.
		payload: { handle: `nobody_${randomBytes(4).toString('hex')}`, password: 'guess' },
	});
}

test('behind TRUST_PROXY two clients with different X-Forwarded-For have separate rate-limit buckets', async () => {
	const statuses: number[] = [];
	for (let i = 0; i < 21; i++) {
		statuses.push((await failedLogin('203.0.113.7')).statusCode);
	}
	expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
	expect(statuses[20]).toBe(429);
	// Same proxy (same socket address), another client behind it: its own bucket.
	expect((await failedLogin('198.51.100.23')).statusCode).toBe(401);
	// A client cannot escape its bucket by prepending addresses: only the last hop (the proxy's view) counts.
	expect((await failedLogin('192.0.2.1, 203.0.113.7')).statusCode).toBe(429);
});

test('CORS_ORIGINS reaches the API through the launcher', async () => {
	const res = await majlis.app.inject({
		method: 'OPTIONS',
		url: '/api/rooms',
		headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
	});
	expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
	const other = await majlis.app.inject({
		method: 'OPTIONS',
		url: '/api/rooms',
		headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
	});
	expect(other.headers['access-control-allow-origin']).toBeUndefined();
});
