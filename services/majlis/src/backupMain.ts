import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupEmbedded, restoreEmbedded } from './backup.js';

// `node scripts/backup.mjs backup <dir>` / `restore <dir>`: the embedded DATA_DIR (default .majlis) to
// and from a backup directory. Stop Majlis first (one process per embedded database).
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const [command, target] = process.argv.slice(2);
const dataDir = resolve(repoRoot, process.env.DATA_DIR || '.majlis');

if ((command !== 'backup' && command !== 'restore') || !target) {
	console.error('usage: backup.mjs backup <backup-dir> | restore <backup-dir>   (DATA_DIR names the data)');
	process.exit(2);
}
try {
	if (command === 'backup') {
		const { files } = await backupEmbedded(dataDir, resolve(target));
		console.log(`backed up ${dataDir} to ${resolve(target)}: ${files.join(', ')}`);
	} else {
		await restoreEmbedded(resolve(target), dataDir);
		console.log(`restored ${resolve(target)} into ${dataDir}`);
	}
} catch (error) {
	console.error(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
