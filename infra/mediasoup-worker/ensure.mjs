// Root postinstall: makes sure a mediasoup-worker binary exists, with or without network. mediasoup's own
// postinstall is disabled (pnpm-workspace.yaml) because offline it fails to download from GitHub and then
// pip-installs a toolchain. Plain Node with builtins only: it runs before anything is compiled.
// Order: $MEDIASOUP_WORKER_BIN, mediasoup's own binary, our cache, mediasoup's prebuilt download, build.sh.
// A cached build from an older recipe (build.sh's `<binary>.recipe` stamp) is rebuilt by build.sh.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, homedir, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const log = (message) => console.error(`[mediasoup-worker] ${message}`);

process.exitCode = await main();

async function main() {
	if (process.env.MAJLIS_SKIP_WORKER_BUILD === '1') {
		log('MAJLIS_SKIP_WORKER_BUILD=1: not checking for a worker binary');
		return 0;
	}
	const envBin = process.env.MEDIASOUP_WORKER_BIN;
	if (envBin && existsSync(envBin)) {
		return 0;
	}
	if (envBin) {
		log(`MEDIASOUP_WORKER_BIN=${envBin} does not exist (mediasoup will still try it first)`);
	}

	// pnpm keeps mediasoup out of the root's node_modules: resolve it as the SFU does.
	let pkgDir;
	try {
		const entry = createRequire(join(here, '../../services/sfu/package.json')).resolve('mediasoup');
		pkgDir = join(dirname(entry), '..', '..'); // entry is <package>/node/lib/index.js
	} catch {
		log('mediasoup is not installed (services/sfu): nothing to do');
		return 0;
	}
	if (existsSync(join(pkgDir, 'worker', 'out', 'Release', 'mediasoup-worker'))) {
		return 0;
	}
	const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
	const cacheDir =
		process.env.MAJLIS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'majlis');
	const cached = join(cacheDir, `mediasoup-worker-${pkg.version}`);
	const stamp = `${cached}.recipe`;
	const hadCached = existsSync(cached);
	if (hadCached && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === 'prebuilt') {
		return 0;
	}

	if (!hadCached && (await downloadPrebuilt(pkg, cached))) {
		writeFileSync(stamp, 'prebuilt\n');
		log(`downloaded mediasoup's prebuilt worker to ${cached}`);
		return 0;
	}
	// With a cached build this returns at once unless the build recipe changed since.
	if (!hadCached) {
		log('building the worker from source instead (build.sh)');
	}
	const build = spawnSync('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
	if (build.status === 0 && existsSync(cached)) {
		return 0;
	}
	if (hadCached && existsSync(cached)) {
		log(`WARNING: could not rebuild ${cached} for the current recipe; keeping the cached build`);
		return 0;
	}
	log(
		`ERROR: no mediasoup-worker: the download failed and build.sh ${build.error ?? `exited with ${build.status}`}. ` +
			'Fix the error above, or set MEDIASOUP_WORKER_BIN to a worker binary, or install with ' +
			'MAJLIS_SKIP_WORKER_BUILD=1 (the SFU will not start without a worker).'
	);
	return 1;
}

/** Fetches mediasoup's prebuilt worker (same URL and check as its npm-scripts.mjs) into `dest`; false offline. */
async function downloadPrebuilt(pkg, dest) {
	const base =
		process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
		`${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
	const kernel = platform() === 'linux' ? `-kernel${release().split('.')[0]}` : '';
	const url = `${base}/${pkg.version}/mediasoup-worker-${pkg.version}-${platform()}-${arch()}${kernel}.tgz`;
	// Short timeouts: a firewall that drops packets must not stall every install before the build.
	const abort = new AbortController();
	let timer = setTimeout(() => abort.abort(new Error('no response within 10 s')), 10_000);
	mkdirSync(dirname(dest), { recursive: true });
	const tmp = mkdtempSync(join(dirname(dest), '.download-'));
	try {
		const res = await fetch(url, { signal: abort.signal });
		if (!res.ok) {
			log(`no prebuilt worker at ${url} (HTTP ${res.status})`);
			return false;
		}
		clearTimeout(timer);
		timer = setTimeout(() => abort.abort(new Error('download not done within 2 min')), 120_000);
		writeFileSync(join(tmp, 'worker.tgz'), Buffer.from(await res.arrayBuffer()));
		const bin = join(tmp, 'mediasoup-worker');
		if (spawnSync('tar', ['-xzf', 'worker.tgz'], { cwd: tmp }).status !== 0 || !runs(bin)) {
			log(`the prebuilt worker from ${url} does not run on this host`);
			return false;
		}
		renameSync(bin, dest); // atomic: never a half-written file at `dest`
		return true;
	} catch (error) {
		log(`cannot download ${url}: ${error.cause?.code ?? error.message}`);
		return false;
	} finally {
		clearTimeout(timer);
		rmSync(tmp, { recursive: true, force: true });
	}
}

/** Started with no environment (no MEDIASOUP_VERSION) a working worker exits with code 41. */
function runs(bin) {
	return spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 }).status === 41;
}
