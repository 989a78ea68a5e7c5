#!/usr/bin/env node
// Backup and restore of the embedded mode's data (DATA_DIR, default .majlis): the database and the
// secrets next to it. Stop Majlis first. With an external Postgres use pg_dump (docs/operations.md).
//   node scripts/backup.mjs backup ./backups/2026-12-01
//   DATA_DIR=/srv/majlis node scripts/backup.mjs restore ./backups/2026-12-01
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
	join(root, 'node_modules/.bin/tsx'),
	[join(root, 'services/majlis/src/backupMain.ts'), ...process.argv.slice(2)],
	{ stdio: 'inherit' }
);
process.exit(result.status ?? 1);
