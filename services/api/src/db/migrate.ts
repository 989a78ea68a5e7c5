import { type Kysely, type Migration, type MigrationResult, Migrator } from 'kysely';
import * as m0001 from '../migrations/0001_initial.js';
import * as m0002 from '../migrations/0002_sessions.js';
import * as m0005 from '../migrations/0005_room_chat.js';
import * as m0008 from '../migrations/0008_moderation.js';
import * as m0004 from '../migrations/0004_recordings.js';
import * as m0006 from '../migrations/0006_room_tallies.js';
import * as m0012 from '../migrations/0012_recording_states.js';
import * as m0011 from '../migrations/0011_integrations.js';
import * as m0010 from '../migrations/0010_profiles.js';
import * as m0015 from '../migrations/0015_notifications.js';
import * as m0016 from '../migrations/0016_federation.js';
import * as m0017 from '../migrations/0017_federation_queue.js';

// A static list instead of FileMigrationProvider: no filesystem globbing, so it works the same under
// tsx, vitest and bundlers. Add each new migration here; names sort in execution order.
const migrations: Record<string, Migration> = {
	'0001_initial': m0001,
	'0002_sessions': m0002,
	'0005_room_chat': m0005,
	'0008_moderation': m0008,
	'0004_recordings': m0004,
	'0006_room_tallies': m0006,
	'0012_recording_states': m0012,
	'0011_integrations': m0011,
	'0010_profiles': m0010,
	'0015_notifications': m0015,
	'0016_federation': m0016,
	'0017_federation_queue': m0017,
};

/** A migration failed; `results` says which ones ran. */
export class MigrationError extends Error {
	/** What the migrator reported per migration. */
	readonly results: MigrationResult[];

	/** Wraps the migrator's error. */
	constructor(cause: unknown, results: MigrationResult[]) {
		super(`database migration failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
		this.name = 'MigrationError';
		this.results = results;
	}
}

/** Brings the database to the latest schema; throws {@link MigrationError} on failure. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any database shape
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResult[]> {
	const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
	// The migrator never throws: it reports through `error`.
	const { error, results = [] } = await migrator.migrateToLatest();
	if (error) {
		throw new MigrationError(error, results);
	}

	return results;
}
