import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { version } from 'mediasoup';

/**
 * The mediasoup-worker for in-process runs: $MEDIASOUP_WORKER_BIN, else infra/mediasoup-worker's cached
 * build if present, else undefined (mediasoup's own). The SFU's resolveWorkerBin() applies the same rule;
 * it is not imported so that a load-generator host needs no SFU package.
 */
export function localWorkerBin(): string | undefined {
	if (process.env.MEDIASOUP_WORKER_BIN) {
		return process.env.MEDIASOUP_WORKER_BIN;
	}
	const cacheDir =
		process.env.MAJLIS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'majlis');
	const cached = join(cacheDir, `mediasoup-worker-${version}`);
	return existsSync(cached) ? cached : undefined;
}
