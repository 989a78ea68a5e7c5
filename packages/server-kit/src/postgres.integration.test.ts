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
