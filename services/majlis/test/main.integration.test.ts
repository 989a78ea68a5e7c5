import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@majlis/server-kit';
import { afterAll, describe, expect, test } from 'vitest';

const repoRoot = join(import.meta.dirname, '../../..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');

interface Started {
	child: ChildProcess;
	url: string;
	startupMs: number;
	output: () => string;
}

// Runs the real entry of `npm start` as a child process, in the embedded mode (no DATABASE_URL/REDIS_URL).
async function startProcess(dataDir: string): Promise<Started> {
	const port = await freePort();
	const env: NodeJS.ProcessEnv = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		LOG_LEVEL: 'warn',
	};
	delete env.DATABASE_URL;
	delete env.REDIS_URL;
	delete env.JWT_SECRET;
	const began = Date.now();
	const child = spawn(tsx, [join(repoRoot, 'services/majlis/src/main.ts')], { env, cwd: repoRoot });
	let out = '';
	child.stdout?.on('data', (d) => {
		out += d;
	});
	child.stderr?.on('data', (d) => {
		out += d;
	});
	const url = `http://127.0.0.1:${port}`;
	for (;;) {
		if (child.exitCode !== null) {
			throw new Error(`exited with ${child.exitCode}:\n${out}`);
		}
		if (Date.now() - began > 60_000) {
			child.kill('SIGKILL');
			throw new Error(`no health within 60 s:\n${out}`);
		}
		const ok = await fetch(`${url}/api/health`).then(
			(r) => r.status === 200,
			() => false
		);
		if (ok) {
			break;
		}
		await new Promise((r) => setTimeout(r, 200));
	}

	return { child, url, startupMs: Date.now() - began, output: () => out };
}

async function stop(child: ChildProcess): Promise<number | null> {
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	child.kill('SIGTERM');

	return exited;
}

describe('npm start entry (services/majlis/src/main.ts)', () => {
	const dirs: string[] = [];
	afterAll(async () => {
		await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
	});

	test('serves health, web and signalling on one port, keeps data across restarts, and exits cleanly on SIGTERM', async () => {
		const dataDir = await mkdtemp(join(tmpdir(), 'majlis-main-'));
		dirs.push(dataDir);

		const first = await startProcess(dataDir);
		console.log(`startup to healthy: ${first.startupMs} ms`);
		expect(await (await fetch(`${first.url}/api/health`)).json()).toEqual({ status: 'ok' });
		const page = await fetch(`${first.url}/`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<div id="root">');
		// Deep links of the single-page app get the page too; unknown API routes stay JSON 404s.
		expect((await fetch(`${first.url}/rooms/123`)).status).toBe(200);
		expect((await fetch(`${first.url}/api/nope`)).status).toBe(404);

		const signup = await fetch(`${first.url}/api/auth/signup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ handle: 'persisted_user', displayName: 'Persisted', password: 'correct horse' }),
		});
		expect(signup.status).toBe(201);
		const { token } = (await signup.json()) as { token: string };
		const created = await fetch(`${first.url}/api/rooms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({ title: 'Survives restarts', visibility: 'public' }),
		});
		expect(created.status).toBe(201);
		const room = (await created.json()) as { id: string };
		expect(await stop(first.child)).toBe(0);

		const second = await startProcess(dataDir);
		try {
			// The same token still works: the generated secret is kept with the data.
			const me = await fetch(`${second.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
			expect(me.status).toBe(200);
			const again = await fetch(`${second.url}/api/rooms/${room.id}`, {
				headers: { authorization: `Bearer ${token}` },
			});
			expect(((await again.json()) as { title: string }).title).toBe('Survives restarts');
			// Share cards (#14): the room's page is the web client's page with link-preview tags written
			// in by the launcher, readable without JavaScript, and its og:image is the drawn card.
			const shared = await (await fetch(`${second.url}/rooms/${room.id}`)).text();
			expect(shared).toContain('<div id="root">');
			expect(shared).toContain('<meta property="og:title" content="Survives restarts" />');
			const image = /<meta property="og:image" content="([^"]+)"/u.exec(shared)?.[1] ?? '';
			// Absolute, from PUBLIC_URL (http://localhost:$PORT by default).
			expect(image).toMatch(new RegExp(`^http://localhost:\\d+/api/rooms/${room.id}/card\\.png\\?v=`, 'u'));
			const card = await fetch(`${second.url}${new URL(image).pathname}${new URL(image).search}`);
			expect(card.headers.get('content-type')).toBe('image/png');
			const png = Buffer.from(await card.arrayBuffer());
			expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
		} finally {
			expect(await stop(second.child)).toBe(0);
		}
	}, 180_000);

	// Runs the entry until it exits by itself; returns its exit code and what it printed.
	async function runUntilExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
		const child = spawn(tsx, [join(repoRoot, 'services/majlis/src/main.ts')], {
			env: { ...process.env, ...env },
			cwd: repoRoot,
		});
		let out = '';
		child.stdout?.on('data', (d) => {
			out += d;
		});
		const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

		return { code, out };
	}

	test('refuses to start with a bad environment, naming the variable', async () => {
		const { code, out } = await runUntilExit({ PORT: 'eighty', LOG_LEVEL: 'error' });
		expect(code).toBe(1);
		expect(out).toContain('PORT');
	}, 60_000);

	test('requires JWT_SECRET outside the embedded mode', async () => {
		const { code, out } = await runUntilExit({
			DATABASE_URL: 'postgres://127.0.0.1:1/x',
			JWT_SECRET: '',
			LOG_LEVEL: 'error',
		});
		expect(code).toBe(1);
		expect(out).toContain('JWT_SECRET');
	}, 60_000);
});
