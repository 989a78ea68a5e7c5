import { type BlockList, type ModerationLog, type Report, type Room, SFU_NODES_KEY } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	createTestBus,
	expectStatus,
	type Harness,
	PASSWORD,
	registerNode,
	setup,
	signup,
} from './helper.js';

let h: Harness;
const ADMIN = `admin_${Date.now().toString(36)}`;

beforeAll(async () => {
	// A Redis database of its own for the fake SFU node that joining needs.
	h = await setup({ bus: createTestBus(10), adminHandles: [ADMIN] });
	await registerNode(h.bus);
});
afterAll(async () => {
	await h?.bus.del(SFU_NODES_KEY);
	await h?.close();
});

describe('blocks', () => {
	test('a blocked user cannot join the blocker’s rooms; the blocker no longer sees the blocked user’s rooms', async () => {
		const blocker = await signup(h.app);
		const pest = await signup(h.app);
		const mine = await createRoom(h.app, blocker.token, { visibility: 'public', title: 'Blocker’s room' });
		const theirs = await createRoom(h.app, pest.token, { visibility: 'public', title: 'Pest’s room' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${mine.id}/start`, { token: blocker.token });

		await expectStatus(204, h.app, 'PUT', `/api/me/blocks/${pest.user.id}`, { token: blocker.token });
		// Idempotent; nobody blocks themselves; unknown users are 404.
		await expectStatus(204, h.app, 'PUT', `/api/me/blocks/${pest.user.id}`, { token: blocker.token });
		await expectStatus(409, h.app, 'PUT', `/api/me/blocks/${blocker.user.id}`, { token: blocker.token });
		await expectStatus(404, h.app, 'PUT', `/api/me/blocks/00000000-0000-4000-8000-000000000000`, {
			token: blocker.token,
		});
		expect(
			(await expectStatus<BlockList>(200, h.app, 'GET', '/api/me/blocks', { token: blocker.token })).items
		).toEqual([expect.objectContaining({ id: pest.user.id })]);

		const join = await call<{ error: { code: string } }>(h.app, 'POST', `/api/rooms/${mine.id}/join`, {
			token: pest.token,
		});
		expect(join.status).toBe(403);
		expect(join.body.error.code).toBe('banned');

		const listed = async (token: string) =>
			(
				await expectStatus<{ items: Room[] }>(200, h.app, 'GET', '/api/rooms?state=scheduled', { token })
			).items.map((r) => r.id);
		expect(await listed(blocker.token)).not.toContain(theirs.id);
		// The blocked user still sees their own room; others see it too.
		expect(await listed(pest.token)).toContain(theirs.id);

		await expectStatus(204, h.app, 'DELETE', `/api/me/blocks/${pest.user.id}`, { token: blocker.token });
		expect(await listed(blocker.token)).toContain(theirs.id);
		expect((await call(h.app, 'POST', `/api/rooms/${mine.id}/join`, { token: pest.token })).status).toBe(200);
		await expectStatus(401, h.app, 'GET', '/api/me/blocks', {});
	});
});

describe('moderation log', () => {
	test('appointments and unbans are kept in order, with actor and target', async () => {
		const host = await signup(h.app);
		const mod = await signup(h.app);
		const room = await createRoom(h.app, host.token, { visibility: 'public' });
		const base = `/api/rooms/${room.id}`;
		await expectStatus(204, h.app, 'PUT', `${base}/moderators/${mod.user.id}`, { token: host.token });
		await expectStatus(200, h.app, 'POST', `${base}/bans/by-handle`, {
			token: mod.token,
			body: { handle: (await signup(h.app)).user.handle, reason: 'spam' },
		});
		const log = await expectStatus<ModerationLog>(200, h.app, 'GET', `${base}/moderation-log`, {
			token: mod.token,
		});
		expect(log.entries.map((e) => [e.action, e.actor?.id, e.reason])).toEqual([
			['roleChange', host.user.id, null],
			['ban', mod.user.id, 'spam'],
		]);
		expect(log.entries[0]?.detail).toBe('moderator');
		const res = await call(h.app, 'POST', `${base}/bans/by-handle`, {
			token: mod.token,
			body: { handle: 'nobody_here_at_all' },
		});
		expect(res.status).toBe(404);
	});
});

describe('reports', () => {
	test('anyone reports a person or their message; the room’s staff and the admins see it; an admin suspends the account', async () => {
		const host = await signup(h.app);
		const reporter = await signup(h.app);
		const troll = await signup(h.app);
		const admin = await signup(h.app, { handle: ADMIN });
		const room = await createRoom(h.app, host.token, { visibility: 'public' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const messageId = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
		await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${room.id}/chat`, {
			token: await h.app.tokens.signServiceToken('sfu'),
			body: { id: messageId, userId: troll.user.id, text: 'nasty words', at: Date.now() },
		});

		const report = await expectStatus<Report>(201, h.app, 'POST', '/api/reports', {
			token: reporter.token,
			body: { userId: troll.user.id, roomId: room.id, messageId, reason: 'insults' },
		});
		expect(report).toMatchObject({
			target: { id: troll.user.id },
			messageText: 'nasty words',
			status: 'open',
		});
		await expectStatus(409, h.app, 'POST', '/api/reports', {
			token: reporter.token,
			body: { userId: reporter.user.id, reason: 'me' },
		});
		await expectStatus(401, h.app, 'POST', '/api/reports', { body: { userId: troll.user.id, reason: 'x' } });

		// The room's staff see its queue; nobody else does.
		const queue = await expectStatus<{ items: Report[] }>(
			200,
			h.app,
			'GET',
			`/api/rooms/${room.id}/reports`,
			{
				token: host.token,
			}
		);
		expect(queue.items.map((r) => r.id)).toEqual([report.id]);
		await expectStatus(403, h.app, 'GET', `/api/rooms/${room.id}/reports`, { token: reporter.token });
		// The global queue is for the configured admins only.
		await expectStatus(403, h.app, 'GET', '/api/admin/reports', { token: host.token });
		const global = await expectStatus<{ items: Report[] }>(200, h.app, 'GET', '/api/admin/reports', {
			token: admin.token,
		});
		expect(global.items.map((r) => r.id)).toContain(report.id);
		await expectStatus(403, h.app, 'POST', `/api/admin/reports/${report.id}/resolve`, {
			token: host.token,
			body: { action: 'suspend' },
		});

		await expectStatus(204, h.app, 'POST', `/api/admin/reports/${report.id}/resolve`, {
			token: admin.token,
			body: { action: 'suspend' },
		});
		// Suspended: the token no longer works, logging in is refused, and so is joining.
		await expectStatus(401, h.app, 'GET', '/api/me', { token: troll.token });
		const login = await call<{ error: { code: string } }>(h.app, 'POST', '/api/auth/login', {
			body: { handle: troll.user.handle, password: PASSWORD },
		});
		expect(login.status).toBe(403);
		expect(
			(
				await expectStatus<{ items: Report[] }>(200, h.app, 'GET', '/api/admin/reports', {
					token: admin.token,
				})
			).items
		).not.toContainEqual(expect.objectContaining({ id: report.id }));
	});
});
