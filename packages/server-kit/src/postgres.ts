import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

/** A Postgres reachable at `url`, and how to stop it. */
export interface PostgresHandle {
	/** postgres://… connection string. */
	readonly url: string;
	/** Stops what was started (an embedded server, or drops a test database). */
	stop(): Promise<void>;
}

/**
 * Starts PGlite (Postgres compiled to WASM) behind a Postgres wire-protocol socket on 127.0.0.1, so the
 * services use one driver path (`pg` + kysely) with or without a real Postgres. `dataDir` keeps data on
 * disk; omit it for an in-memory database.
 */
export async function startEmbeddedPostgres(
	options: { dataDir?: string; port?: number } = {}
): Promise<PostgresHandle> {
	if (options.dataDir) {
		await mkdir(options.dataDir, { recursive: true });
	}
	const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
	// PGlite is single-connection; the socket server multiplexes pool connections onto it.
	const server = new PGLiteSocketServer({
		db,
		host: '127.0.0.1',
		port: options.port ?? 0,
		maxConnections: 100,
	});
	await server.start();
	const address = server.getServerConn();

	return {
		url: `postgres://postgres@${address}/postgres`,
		async stop() {
			await server.stop();
			await db.close();
		},
	};
}

/**
 * A fresh, empty database for one test file: a new database on the server named by DATABASE_URL when set
 * (dropped on stop), otherwise an in-memory embedded Postgres.
 */
export async function createTestDatabase(baseUrl = process.env.DATABASE_URL): Promise<PostgresHandle> {
	if (!baseUrl) {
		return startEmbeddedPostgres();
	}
	const name = `majlis_test_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: baseUrl });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;

	return {
		url: url.toString(),
		async stop() {
			const c = new pg.Client({ connectionString: baseUrl });
			await c.connect();
			try {
				await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await c.end();
			}
		},
	};
}
