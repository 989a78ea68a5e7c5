import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../db/migrate.js';
import type { DB } from '../../db/schema.js';
import type { ApiOptions } from '../../options.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** The database (kysely over a pg pool). */
		db: Kysely<DB>;
	}
}

/** Connects to Postgres, migrates to the latest schema, and closes the pool with the app. */
export default fp(
	async function db(app: FastifyInstance, opts: ApiOptions) {
		const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
		// An idle client's error (server restart, network) is emitted on the pool; unhandled it kills the process.
		pool.on('error', (error) => app.log.error({ err: error }, 'db | idle client error'));
		const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
		try {
			const results = await migrateToLatest(kysely);
			for (const r of results) {
				app.log.info({ migration: r.migrationName, status: r.status }, 'db | migration');
			}
		} catch (error) {
			await kysely.destroy();
			throw error;
		}
		app.decorate('db', kysely);
		app.addHook('onClose', async () => {
			await kysely.destroy();
		});
	},
	{ name: 'db' }
);
