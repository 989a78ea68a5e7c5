import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenService } from '@majlis/server-kit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type MajlisHandle, startMajlis } from '../src/startMajlis.js';

// The embedded mode's backup: made with the real command (`node scripts/backup.mjs`), restored into a
// fresh DATA_DIR, and the restored server gives back the same rooms, roles and bans (and old tokens work,
// since the secrets come back too).

const repoRoot = join(import.meta.dirname, '../../..');
let work: string;
beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'majlis-backup-'));
});
afterAll(async () => {
	await rm(work, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<MajlisHandle> {
	// Embedded on purpose: no DATABASE_URL or REDIS_URL whatever the suite runs with.
	const config = await loadConfig(
		{ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MAJLIS_ROLE: 'api' },
		repoRoot
	);

	return startMajlis(config);
}

async function api<T>(
	m: MajlisHandle,
	method: string,
	url: string,
	token?: string,
	body?: unknown
): Promise<T> {
	const res = await m.app.inject({
		method: method as 'GET',
		url,
		headers: token ? { authorization: `Bearer ${token}` } : {},
		...(body === undefined ? {} : { payload: body as object }),
	});
	if (res.statusCode >= 300) {
		throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
	}

	return (res.body ? res.json() : undefined) as T;
}

/** A service token as the embedded SFU makes it, from the keys generated in `dataDir`. */
async function serviceToken(dataDir: string): Promise<string> {
	const read = (name: string) => readFile(join(dataDir, name), 'utf8');
	const node = createTokenService({
		serviceSecret: (await read('service-secret')).trim(),
		ticketPublicKey: await read('ticket-key.pub.pem'),
	});

	return node.signServiceToken('sfu');
}

type Session = { user: { id: string; handle: string }; token: string };

test('backup then restore into a fresh data directory gives back the same rooms, roles and bans', {
	timeout: 240_000,
}, async () => {
	const original = join(work, 'original');
	const first = await start(original);
	const people: Record<string, Session> = {};
	let roomId: string;
	try {
		for (const name of ['host', 'cohost', 'moderator', 'removed']) {
			people[name] = await api<Session>(first, 'POST', '/api/auth/signup', undefined, {
				handle: `${name}_${Date.now().toString(36)}`,
				displayName: name,
				password: 'correct horse battery',
			});
		}
		const host = people.host!.token;
		roomId = (
			await api<{ id: string }>(first, 'POST', '/api/rooms', host, {
				title: 'Kept safe',
				visibility: 'public',
			})
		).id;
		await api(first, 'PUT', `/api/rooms/${roomId}/cohosts/${people.cohost!.user.id}`, host);
		await api(first, 'PUT', `/api/rooms/${roomId}/moderators/${people.moderator!.user.id}`, host);
		await api(first, 'POST', `/api/internal/rooms/${roomId}/bans`, await serviceToken(original), {
			userId: people.removed!.user.id,
			by: people.host!.user.id,
		});
	} finally {
		await first.close();
	}

	const backupDir = join(work, 'backup');
	const backup = spawnSync(process.execPath, [join(repoRoot, 'scripts/backup.mjs'), 'backup', backupDir], {
		env: { ...process.env, DATA_DIR: original },
		encoding: 'utf8',
	});
	expect(backup.status, backup.stderr).toBe(0);

	const fresh = join(work, 'restored');
	const restore = spawnSync(process.execPath, [join(repoRoot, 'scripts/backup.mjs'), 'restore', backupDir], {
		env: { ...process.env, DATA_DIR: fresh },
		encoding: 'utf8',
	});
	expect(restore.status, restore.stderr).toBe(0);

	const restored = await start(fresh);
	try {
		// The host's token from before the backup still works: secret and session came back.
		const room = await api<{
			title: string;
			host: { id: string };
			cohosts: { id: string }[];
			moderators: { id: string }[];
		}>(restored, 'GET', `/api/rooms/${roomId}`, people.host!.token);
		expect(room.title).toBe('Kept safe');
		expect(room.host.id).toBe(people.host!.user.id);
		expect(room.cohosts.map((u) => u.id)).toEqual([people.cohost!.user.id]);
		expect(room.moderators.map((u) => u.id)).toEqual([people.moderator!.user.id]);
		const bans = await api<{ items: { user: { id: string } }[] }>(
			restored,
			'GET',
			`/api/rooms/${roomId}/bans`,
			people.host!.token
		);
		expect(bans.items.map((b) => b.user.id)).toEqual([people.removed!.user.id]);
	} finally {
		await restored.close();
	}
	// Restoring over an existing database is refused.
	const again = spawnSync(process.execPath, [join(repoRoot, 'scripts/backup.mjs'), 'restore', backupDir], {
		env: { ...process.env, DATA_DIR: fresh },
		encoding: 'utf8',
	});
	expect(again.status).toBe(1);
	expect(again.stderr).toMatch(/already holds a database/);
});
