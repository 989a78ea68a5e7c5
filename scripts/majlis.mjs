#!/usr/bin/env node
// Entry point of the README's two commands (`npm start`, `npm test`) and of `npm run bench`.
// Plain Node with no dependencies, because it runs on a fresh clone before anything is installed:
// it finds pnpm, installs the workspace (whose postinstall provides the mediasoup worker), installs
// the Debian packages the tests need, and then hands over to the real command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');
const [command = 'start', ...rest] = process.argv.slice(2);

function log(message) {
	console.error(`[majlis] ${message}`);
}

function run(cmd, args, options = {}) {
	const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
	if (result.error) {
		throw result.error;
	}

	return result.status ?? 1;
}

function must(cmd, args, options) {
	const status = run(cmd, args, options);
	if (status !== 0) {
		log(`failed: ${cmd} ${args.join(' ')} (exit ${status})`);
		process.exit(status);
	}
}

function works(cmd, args, env = process.env) {
	const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env });

	return r.status === 0 ? r.stdout.trim() : null;
}

// The Node that runs Majlis where the machine's is older than package.json's engines allow (>= 22): the
// npm registry's node-linux-<arch> package (the official binary), fetched once into the cache.
const runtimeNode = '24.22.3';
const minNodeMajor = 22;
const cacheDir = process.env.MAJLIS_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'majlis');

/** The bin directory of the cached Node `runtimeNode`, fetched with npm on first use. */
function provideNode() {
	const dir = join(cacheDir, `node-v${runtimeNode}-linux-${process.arch}`);
	if (existsSync(join(dir, 'bin/node'))) {
		return join(dir, 'bin');
	}
	if (process.platform !== 'linux') {
		log(`Node ${process.versions.node} is too old: install Node ${runtimeNode} (>= ${minNodeMajor}) and retry.`);
		process.exit(1);
	}
	mkdirSync(cacheDir, { recursive: true });
	const tmp = mkdtempSync(join(cacheDir, '.node-'));
	try {
		const spec = `node-linux-${process.arch}@${runtimeNode}`;
		const packed = works('npm', ['pack', spec, '--silent', '--pack-destination', tmp]);
		if (!packed) {
			log(`could not fetch ${spec} with npm pack: install Node >= ${minNodeMajor} and retry.`);
			process.exit(1);
		}
		must('tar', ['-xzf', join(tmp, packed.split('\n').pop()), '-C', tmp]);
		renameSync(join(tmp, 'package'), dir);
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}

	return join(dir, 'bin');
}

// On an older Node, run this same command again under the cached Node (first on PATH, so pnpm, corepack,
// vitest and tsx use it too). MAJLIS_NODE_REEXEC guards against a loop if that Node were old as well.
function checkNode() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= minNodeMajor || process.env.MAJLIS_NODE_REEXEC === '1') {
		return;
	}
	const bin = provideNode();
	log(`Node ${process.versions.node} is older than ${minNodeMajor}: running on Node ${runtimeNode} from ${bin}`);
	const env = { ...process.env, MAJLIS_NODE_REEXEC: '1', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
	const child = spawnSync(join(bin, 'node'), [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
		stdio: 'inherit',
		env,
	});
	process.exit(child.status ?? 1);
}

// Corepack's signature check fails against some registry mirrors; the version is pinned by
// packageManager anyway, so the integrity-key check adds nothing here.
const pnpmEnv = { ...process.env, COREPACK_INTEGRITY_KEYS: '0', COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' };

function findPnpm() {
	if (works('pnpm', ['--version']) === pnpmVersion) {
		return ['pnpm'];
	}
	if (works('corepack', ['pnpm', '--version'], pnpmEnv) === pnpmVersion) {
		return ['corepack', 'pnpm'];
	}
	if (works('npx', ['--yes', `pnpm@${pnpmVersion}`, '--version'], pnpmEnv) === pnpmVersion) {
		return ['npx', '--yes', `pnpm@${pnpmVersion}`];
	}
	log(`could not run pnpm ${pnpmVersion} (tried pnpm, corepack, npx)`);
	process.exit(1);
}

let pnpmCommand;
function pnpm(args) {
	pnpmCommand ??= findPnpm();
	const [cmd, ...pre] = pnpmCommand;
	must(cmd, [...pre, ...args], { env: pnpmEnv });
}

function install() {
	const ci = process.env.CI === 'true' || process.env.CI === '1';
	pnpm(['install', '--frozen-lockfile', ...(ci ? [] : ['--prefer-offline'])]);
}

const aptPackages = {
	'/usr/bin/chromium': 'chromium',
	'/usr/bin/ffmpeg': 'ffmpeg',
	'/usr/bin/janus': 'janus',
	'/usr/bin/pg_dump': 'postgresql-client',
	// Trust (issue #19): the Redis AUTH, TLS and outage tests start redis-servers of their own.
	'/usr/bin/redis-server': 'redis-server',
	'/usr/bin/openssl': 'openssl',
	// TURN: the relay browser test runs a real coturn.
	'/usr/bin/turnserver': 'coturn',
};

// The browser tests drive Debian's Chromium (playwright-core brings no browser of its own) and
// generate test tones with ffmpeg; fonts-noto-core renders Arabic. Janus is the peer SFU the loadgen
// test and the bench measure against; pg_dump and pg_restore back the backup test.
function installTestPackages() {
	const missing = Object.entries(aptPackages)
		.filter(([bin]) => !existsSync(bin))
		.map(([, name]) => name);
	if (!existsSync('/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf')) {
		missing.push('fonts-noto-core');
	}
	if (missing.length === 0) {
		return;
	}
	if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
		log(`missing ${missing.join(', ')}: install them (Debian: apt-get install ${missing.join(' ')}) and retry`);
		process.exit(1);
	}
	log(`installing ${missing.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	must('apt-get', ['update'], { env });
	must('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
}

function newestMtime(dir) {
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) {
			continue;
		}
		const path = join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
	}

	return newest;
}

// Builds the web client only when its sources (or the protocol it imports) are newer than the build.
function buildWeb() {
	const built = join(root, 'web/dist/index.html');
	const sources = Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'packages/protocol/src')));
	if (existsSync(built) && statSync(built).mtimeMs >= sources) {
		return;
	}
	log('building the web client');
	pnpm(['--filter', '@majlis/web', 'build']);
}

function tsx(entry, args) {
	const bin = join(root, 'node_modules/.bin/tsx');
	const child = spawnSync(bin, [entry, ...args], { stdio: 'inherit', cwd: root });
	process.exit(child.status ?? 1);
}

function summarize(resultsFile) {
	if (!existsSync(resultsFile)) {
		console.log('0 passed, 1 failed');

		return;
	}
	const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
	// Failed suites (a file that did not load) count as failures even when no test in them ran.
	const failedSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
	const skipped = r.numPendingTests + r.numTodoTests;
	console.log(
		`${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed${skipped ? `, ${skipped} skipped` : ''}`
	);
}

// `node-dir` prints the bin directory of a Node >= 22 (this one, or the cached one it provides): .ci/run and
// the compose smoke put it first on PATH.
if (command === 'node-dir') {
	const major = Number(process.versions.node.split('.')[0]);
	console.log(major >= minNodeMajor ? dirname(process.execPath) : provideNode());
	process.exit(0);
}
checkNode();
switch (command) {
	case 'start': {
		install();
		buildWeb();
		tsx(join(root, 'services/majlis/src/main.ts'), rest);
		break;
	}
	case 'test': {
		install();
		installTestPackages();
		buildWeb();
		mkdirSync(join(root, '.majlis'), { recursive: true });
		const resultsFile = join(root, '.majlis/test-results.json');
		rmSync(resultsFile, { force: true });
		const status = run(join(root, 'node_modules/.bin/vitest'), [
			'run',
			'--reporter=default',
			'--reporter=json',
			`--outputFile.json=${resultsFile}`,
			...rest,
		]);
		summarize(resultsFile);
		process.exit(status);
		break;
	}
	case 'bench': {
		install();
		tsx(join(root, 'infra/loadgen/src/bench/main.ts'), rest);
		break;
	}
	default: {
		log(`unknown command "${command}" (start, test, bench, node-dir)`);
		process.exit(2);
	}
}
