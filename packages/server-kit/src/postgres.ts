import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
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

// The file name libpq and pg look for in a socket directory (port 5432).
const SOCKET_FILE = '.s.PGSQL.5432';
// Unix socket paths are limited to about 107 bytes.
const MAX_SOCKET_PATH = 100;

/**
 * Starts PGlite (Postgres compiled to WASM) behind a Postgres wire-protocol socket, so the services use
 * one driver path (`pg` + kysely) with or without a real Postgres. `dataDir` keeps data on disk; omit it
 * for an in-memory database.
 *
 * pglite-socket performs no authentication at all (a password would be accepted whatever it is), so
 * given a `socketDir` the server listens on a Unix socket there, in a directory only this OS user may
 * enter (0700): other local users cannot reach the database. Without one (tests), or when the path is
 * too long for a socket, it listens on 127.0.0.1.
 */
export async function startEmbeddedPostgres(
	options: { dataDir?: string; port?: number; socketDir?: string } = {}
): Promise<PostgresHandle> {
	if (options.dataDir) {
		await mkdir(options.dataDir, { recursive: true });
	}
	let socketDir: string | undefined;
	if (options.socketDir && join(options.socketDir, SOCKET_FILE).length <= MAX_SOCKET_PATH) {
		socketDir = options.socketDir;
		await mkdir(socketDir, { recursive: true, mode: 0o700 });
		await chmod(socketDir, 0o700);
		// A socket file left by a process that died would make listen() fail.
		await rm(join(socketDir, SOCKET_FILE), { force: true });
	}
	const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
	// PGlite is single-connection; the socket server multiplexes pool connections onto it.
	const server = new PGLiteSocketServer({
		db,
		...(socketDir
			? { path: join(socketDir, SOCKET_FILE) }
			: { host: '127.0.0.1', port: options.port ?? 0 }),
		maxConnections: 100,
	});
	await server.start();
	const url = socketDir
		? `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`
		: `postgres://postgres@${server.getServerConn()}/postgres`;

	return {
		url,
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
