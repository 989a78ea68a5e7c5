import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupEmbedded, restoreEmbedded } from './backup.js';

// `node scripts/backup.mjs backup <dir>` / `restore <dir>`: the embedded DATA_DIR (default .majlis) to
// and from a backup directory. Stop Majlis first (one process per embedded database).
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const [command, target] = process.argv.slice(2);
const dataDir = resolve(repoRoot, process.env.DATA_DIR || '.majlis');

if ((command !== 'backup' && command !== 'restore') || !target) {
	process.stderr.write(
		'usage: backup.mjs backup <backup-dir> | restore <backup-dir>   (DATA_DIR names the data)\n'
	);
	process.exit(2);
}
try {
	if (command === 'backup') {
		const { files } = await backupEmbedded(dataDir, resolve(target));
		process.stdout.write(`backed up ${dataDir} to ${resolve(target)}: ${files.join(', ')}\n`);
	} else {
		await restoreEmbedded(resolve(target), dataDir);
		process.stdout.write(`restored ${resolve(target)} into ${dataDir}\n`);
	}
} catch (error) {
	process.stderr.write(`${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}
