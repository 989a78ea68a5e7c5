import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// Backups of the embedded mode's DATA_DIR: the database (PGlite's own data-directory dump) and the
// secrets and keys kept next to it, without which the restored tokens would not verify. PGlite allows
// one process per data directory, so Majlis must be stopped while a backup or restore runs.

/** Name of the database dump inside a backup directory. */
export const DATABASE_DUMP = 'pgdata.tar.gz';
/** Folders of DATA_DIR that are not copied as files: the database (dumped instead) and its socket. */
const NOT_FILES = new Set(['pgdata', 'run']);

async function secretFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true });

	return entries
		.filter((e) => e.isFile() && !NOT_FILES.has(e.name) && e.name !== DATABASE_DUMP)
		.map((e) => e.name);
}

/** Writes a backup of `dataDir` into the new or empty directory `backupDir` (mode 0700; secrets 0600). */
export async function backupEmbedded(dataDir: string, backupDir: string): Promise<{ files: string[] }> {
	const pgdata = join(dataDir, 'pgdata');
	if (!(await stat(pgdata).catch(() => null))?.isDirectory()) {
		throw new Error(`no embedded database in ${dataDir}`);
	}
	await mkdir(backupDir, { recursive: true, mode: 0o700 });
	if ((await readdir(backupDir)).length > 0) {
		throw new Error(`${backupDir} is not empty`);
	}
	const db = await PGlite.create({ dataDir: pgdata });
	try {
		const dump = await db.dumpDataDir('gzip');
		await writeFile(join(backupDir, DATABASE_DUMP), Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
	} finally {
		await db.close();
	}
	const files = await secretFiles(dataDir);
	for (const name of files) {
		await copyFile(join(dataDir, name), join(backupDir, name));
		await chmod(join(backupDir, name), 0o600);
	}

	return { files: [DATABASE_DUMP, ...files] };
}

/** Restores a backup made by {@link backupEmbedded} into `dataDir`, which must hold no database yet. */
export async function restoreEmbedded(backupDir: string, dataDir: string): Promise<void> {
	const pgdata = join(dataDir, 'pgdata');
	if ((await readdir(pgdata).catch(() => [])).length > 0) {
		throw new Error(`${pgdata} already holds a database; restore into a fresh DATA_DIR`);
	}
	const dump = await readFile(join(backupDir, DATABASE_DUMP));
	await mkdir(dataDir, { recursive: true, mode: 0o700 });
	const db = await PGlite.create({ dataDir: pgdata, loadDataDir: new Blob([dump]) });
	await db.close();
	for (const name of await secretFiles(backupDir)) {
		await copyFile(join(backupDir, name), join(dataDir, name));
		await chmod(join(dataDir, name), 0o600);
	}
}
