import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, type Harness, setup } from './helper.js';

type Problem = {
	ruleId: string;
	severity: 'error' | 'warn';
	message: string;
	location: { pointer: string }[];
};

/** Redocly's CLI, as installed for this package (its `lint` with the built-in `recommended` rules). */
const redoclyBin = join(
	dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
	'bin/cli.js'
);

let h: Harness;
let dir: string;
beforeAll(async () => {
	h = await setup();
	dir = mkdtempSync(join(tmpdir(), 'majlis-openapi-'));
});
afterAll(async () => {
	rmSync(dir, { recursive: true, force: true });
	await h?.close();
});

test('`redocly lint` (recommended rules) finds no error and no warning', async () => {
	const res = await call<unknown>(h.app, 'GET', '/api/openapi.json');
	expect(res.status).toBe(200);
	const file = join(dir, 'openapi.json');
	writeFileSync(file, JSON.stringify(res.body));
	// Run from the temp dir, so no redocly.yaml of a parent folder changes the rules.
	const lint = spawnSync(
		process.execPath,
		[redoclyBin, 'lint', file, '--extends=recommended', '--format=json'],
		{
			cwd: dir,
			encoding: 'utf8',
			env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
		}
	);
	const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{'))) as { problems: Problem[] };
	const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}`);
	expect(problems).toEqual([]);
}, 60_000);

test('every operation has a unique operationId (stable names for generated clients)', async () => {
	const res = await call<{ paths: Record<string, Record<string, { operationId?: string }>> }>(
		h.app,
		'GET',
		'/api/openapi.json'
	);
	const ids = Object.values(res.body.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
	expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
	expect(new Set(ids).size).toBe(ids.length);
});
