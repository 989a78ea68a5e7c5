import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { createTestDatabase, startEmbeddedPostgres } from './postgres.js';

async function roundTrip(url: string): Promise<number> {
	const pool = new pg.Pool({ connectionString: url, max: 3 });
	try {
		await pool.query('CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), n int NOT NULL)');
		// Several pool connections at once: the embedded server must multiplex them.
		await Promise.all([1, 2, 3, 4, 5].map((n) => pool.query('INSERT INTO t (n) VALUES ($1)', [n])));
		const { rows } = await pool.query<{ total: number }>('SELECT sum(n)::int AS total FROM t');

		return rows[0]!.total;
	} finally {
		await pool.end();
	}
}

describe('postgres', () => {
	test('startEmbeddedPostgres() serves the Postgres protocol to pg', async () => {
		const db = await startEmbeddedPostgres();
		try {
			expect(await roundTrip(db.url)).toBe(15);
		} finally {
			await db.stop();
		}
	});

	test('with a socketDir, the embedded server listens on a Unix socket only this OS user can reach', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'majlis-pg-'));
		const db = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), socketDir: join(dir, 'run') });
		try {
			expect(db.url).not.toMatch(/127\.0\.0\.1|:\d+\//);
			expect((await stat(join(dir, 'run'))).mode & 0o777).toBe(0o700);
			expect(await roundTrip(db.url)).toBe(15);
		} finally {
			await db.stop();
			await rm(dir, { recursive: true, force: true });
		}
	});

	test('createTestDatabase() gives an empty database each time', async () => {
		const a = await createTestDatabase();
		const b = await createTestDatabase();
		try {
			expect(await roundTrip(a.url)).toBe(15);
			expect(await roundTrip(b.url)).toBe(15);
		} finally {
			await Promise.all([a.stop(), b.stop()]);
		}
	});
});
