import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { version } from 'mediasoup';

// mediasoup's package.json is not in its "exports", so locate the package through its entry point
// (<package>/node/lib/index.js), as mediasoup itself does.
const packageDir = join(dirname(createRequire(import.meta.url).resolve('mediasoup')), '..', '..');

/** The mediasoup-worker to run: $MEDIASOUP_WORKER_BIN, mediasoup's own build, or infra/mediasoup-worker's cache (else undefined: mediasoup's default). */
export function resolveWorkerBin(): string | undefined {
	const fromEnv = process.env.MEDIASOUP_WORKER_BIN;
	if (fromEnv) {
		return fromEnv;
	}
	const own = join(packageDir, 'worker', 'out', 'Release', 'mediasoup-worker');
	if (existsSync(own)) {
		return own;
	}
	// Same rule as infra/mediasoup-worker/build.sh.
	const cacheDir =
		process.env.MAJLIS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'majlis');
	const cached = join(cacheDir, `mediasoup-worker-${version}`);
	return existsSync(cached) ? cached : undefined;
}
