import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@majlis/server-kit';
import { expect, test } from 'vitest';
import { appointStageRoles, createRoom, expectStatus, type Harness, setup, signup } from './helper.js';

// The documented Postgres backup path (docs/operations.md): `pg_dump --format=custom`, then `pg_restore`
// into an empty database. Needs a real Postgres (DATABASE_URL) and the client tools.

function hasTools(): boolean {
	try {
		execFileSync('pg_dump', ['--version']);
		execFileSync('pg_restore', ['--version']);

		return true;
	} catch {
		return false;
	}
}

test.runIf(Boolean(process.env.DATABASE_URL) && hasTools())(
	'pg_dump then pg_restore into a fresh database gives back the same rooms, roles and bans',
	{ timeout: 120_000 },
	async () => {
		const work = await mkdtemp(join(tmpdir(), 'majlis-pgdump-'));
		let h: Harness | undefined;
		const target = await createTestDatabase();
		try {
			h = await setup();
			const [host, cohost, moderator, removed] = [
				await signup(h.app),
				await signup(h.app),
				await signup(h.app),
				await signup(h.app),
			];
			const room = await createRoom(h.app, host.token, { title: 'Backed up' });
			await appointStageRoles(h.app, host, room.id, { cohost, moderator });
			await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/bans`, {
				token: await h.app.tokens.signServiceToken('sfu'),
				body: { userId: removed.user.id, by: host.user.id },
			});

			const file = join(work, 'majlis.dump');
			execFileSync('pg_dump', [
				'--format=custom',
				'--no-owner',
				`--file=${file}`,
				`--dbname=${h.dbHandle.url}`,
			]);
			execFileSync('pg_restore', ['--no-owner', `--dbname=${target.url}`, file]);

			const restored = await h.build({ databaseUrl: target.url });
			try {
				const view = await expectStatus<{
					title: string;
					cohosts: { id: string }[];
					moderators: { id: string }[];
				}>(200, restored, 'GET', `/api/rooms/${room.id}`, { token: host.token });
				expect(view.title).toBe('Backed up');
				expect(view.cohosts.map((u) => u.id)).toEqual([cohost.user.id]);
				expect(view.moderators.map((u) => u.id)).toEqual([moderator.user.id]);
				const bans = await expectStatus<{ items: { user: { id: string } }[] }>(
					200,
					restored,
					'GET',
					`/api/rooms/${room.id}/bans`,
					{ token: host.token }
				);
				expect(bans.items.map((b) => b.user.id)).toEqual([removed.user.id]);
			} finally {
				await restored.close();
			}
		} finally {
			await h?.close();
			await target.stop();
			await rm(work, { recursive: true, force: true });
		}
	}
);
