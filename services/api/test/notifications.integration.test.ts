import type { Notification, NotificationList, ReminderState } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, createRoom, expectStatus, type Harness, login, setup, signup, type TestUser } from './helper.js';
import { openStream } from './sse.js';

let h: Harness;
let other: FastifyInstance;

beforeAll(async () => {
	h = await setup();
	// A second API node on the same database and bus: streams must work whichever node made the event.
	other = await h.build();
	await other.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
	await other?.close();
	await h?.close();
});

async function list(user: TestUser): Promise<NotificationList> {
	await h.app.notifier.settled();

	return expectStatus<NotificationList>(200, h.app, 'GET', '/api/me/notifications', { token: user.token });
}

async function remind(room: string, user: TestUser): Promise<ReminderState> {
	return expectStatus<ReminderState>(200, h.app, 'PUT', `/api/rooms/${room}/reminder`, { token: user.token });
}

describe('reminders', () => {
	test('toggle; only staff see how many asked; only scheduled rooms', async () => {
		const [host, mod, a, b] = [
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
		];
		const room = await createRoom(h.app, host.token);
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, {
			token: host.token,
		});
		expect(await remind(room.id, a)).toEqual({ reminded: true, count: null });
		expect(await remind(room.id, a)).toEqual({ reminded: true, count: null });
		await remind(room.id, b);
		const base = `/api/rooms/${room.id}/reminder`;
		expect(await expectStatus(200, h.app, 'GET', base, { token: host.token })).toEqual({
			reminded: false,
			count: 2,
		});
		expect(await expectStatus(200, h.app, 'GET', base, { token: mod.token })).toEqual({
			reminded: false,
			count: 2,
		});
		expect(await expectStatus(200, h.app, 'DELETE', base, { token: b.token })).toEqual({
			reminded: false,
			count: null,
		});
		expect(await expectStatus(200, h.app, 'GET', base, { token: host.token })).toEqual({
			reminded: false,
			count: 1,
		});
		expect((await call(h.app, 'PUT', base)).status).toBe(401);
		expect((await call(h.app, 'PUT', '/api/rooms/not-a-uuid/reminder', { token: a.token })).status).toBe(400);

		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const late = await call<{ error: { code: string } }>(h.app, 'PUT', base, { token: b.token });
		expect(late.status).toBe(409);
		expect(late.body.error.code).toBe('invalid_state');
	});

	test('a private room: only people with a place in it may ask', async () => {
		const [host, stranger] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token, { visibility: 'private' });
		expect(
			(await call(h.app, 'PUT', `/api/rooms/${room.id}/reminder`, { token: stranger.token })).status
		).toBe(404);
	});
});

describe('notifications', () => {
	test('the room starts: the reminded listener is told live on another API node, stored, then read', async () => {
		const [host, listener] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token, { title: 'مجلس الأربعاء' });
		await remind(room.id, listener);
		const stream = await openStream(other, listener.token);
		try {
			const first = await stream.next((e) => e.type === 'unread');
			expect(first).toEqual({ type: 'unread', unread: 0 });
			const started = Date.now();
			await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
			const event = await stream.next((e) => e.type === 'notification');
			expect(Date.now() - started).toBeLessThan(2000);
			if (event.type !== 'notification') {
				throw new Error('unreachable');
			}
			expect(event.unread).toBe(1);
			expect(event.notification).toMatchObject({
				kind: 'reminder',
				read: false,
				room: { id: room.id, title: 'مجلس الأربعاء', state: 'live' },
				actor: { id: host.user.id, handle: host.user.handle },
			});
			// The host who started it is not told of their own act.
			expect((await list(host)).items).toEqual([]);

			const stored = await list(listener);
			expect(stored.unread).toBe(1);
			expect(stored.items.map((n) => n.id)).toEqual([event.notification.id]);

			const read = await expectStatus<{ unread: number }>(
				200,
				h.app,
				'POST',
				`/api/me/notifications/${event.notification.id}/read`,
				{ token: listener.token }
			);
			expect(read.unread).toBe(0);
			// Other tabs' badges follow.
			await stream.next((e) => e.type === 'unread' && e.unread === 0 && stream.events.indexOf(e) > 0);
			expect((await list(listener)).items[0]?.read).toBe(true);
			// Someone else's notification is not yours to mark.
			expect(
				(
					await call(h.app, 'POST', `/api/me/notifications/${event.notification.id}/read`, {
						token: host.token,
					})
				).status
			).toBe(404);
		} finally {
			stream.close();
		}
	});

	test('co-host, moderator and guest appointments; mark all read', async () => {
		const [host, a, b, c] = [
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
		];
		const room = await createRoom(h.app, host.token);
		const base = `/api/rooms/${room.id}`;
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${a.user.id}`, { token: host.token });
		await expectStatus(204, h.app, 'PUT', `${base}/moderators/${b.user.id}`, { token: host.token });
		await expectStatus(204, h.app, 'PUT', `${base}/guests/${c.user.id}`, {
			token: host.token,
			body: { kind: 'speaker' },
		});
		// The same appointment again changes nothing and tells no one twice.
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${a.user.id}`, { token: host.token });
		expect((await list(a)).items.map((n) => n.kind)).toEqual(['cohost']);
		expect((await list(b)).items.map((n) => n.kind)).toEqual(['moderator']);
		expect((await list(c)).items.map((n) => n.kind)).toEqual(['guest']);
		await expectStatus(204, h.app, 'POST', '/api/me/notifications/read-all', { token: c.token });
		expect((await list(c)).unread).toBe(0);
	});

	test('a replay is ready: the host, co-hosts and those reminded are told; a failed recording tells no one', async () => {
		const [host, cohost, fan, stranger] = [
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
		];
		const sfu = await h.app.tokens.signServiceToken('sfu');
		const record = async (state: 'ready' | 'failed') => {
			const room = await createRoom(h.app, host.token);
			const base = `/api/rooms/${room.id}`;
			await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${cohost.user.id}`, { token: host.token });
			await remind(room.id, fan);
			await expectStatus(200, h.app, 'PUT', `${base}/recordings/setting`, {
				token: host.token,
				body: { enabled: true },
			});
			await expectStatus(200, h.app, 'POST', `${base}/start`, { token: host.token });
			const recording = await expectStatus<{ id: string }>(
				201,
				h.app,
				'POST',
				`/api/internal/rooms/${room.id}/recordings`,
				{
					token: sfu,
					body: { by: host.user.id },
				}
			);
			await expectStatus(204, h.app, 'POST', `/api/internal/recordings/${recording.id}/finish`, {
				token: sfu,
				body: {
					state,
					durationMs: 1000,
					tracks: [],
					timeline: {
						startedAt: Date.now(),
						durationMs: 1000,
						people: [],
						stage: [],
						speaking: [],
						muted: [],
						events: [],
					},
				},
			});
			await expectStatus(200, h.app, 'POST', `${base}/end`, { token: host.token });

			return room.id;
		};
		const replays = async (u: TestUser) =>
			(await list(u)).items.filter((n) => n.kind === 'replay').map((n) => n.room?.id);
		const ready = await record('ready');
		await record('failed');
		expect(await replays(host)).toEqual([ready]);
		expect(await replays(cohost)).toEqual([ready]);
		expect(await replays(fan)).toEqual([ready]);
		expect(await replays(stranger)).toEqual([]);
	});

	test('followers hear of scheduled and started rooms; unlisted rooms are not announced', async () => {
		const [host, fan] = [await signup(h.app), await signup(h.app)];
		await expectStatus(204, h.app, 'PUT', `/api/users/${host.user.handle}/follow`, { token: fan.token });
		const room = await createRoom(h.app, host.token);
		await createRoom(h.app, host.token, { visibility: 'unlisted' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const kinds = (await list(fan)).items.map((n: Notification) => [n.kind, n.room?.id]);
		expect(kinds).toEqual([
			['followLive', room.id],
			['followScheduled', room.id],
		]);
	});

	test('nobody the host blocked, nobody a private room does not admit, nobody who turned the kind off', async () => {
		const [host, blocked, guest, dropped, quiet] = [
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
		];
		const room = await createRoom(h.app, host.token, { visibility: 'private' });
		const base = `/api/rooms/${room.id}`;
		for (const u of [blocked, guest, dropped, quiet]) {
			await expectStatus(204, h.app, 'PUT', `${base}/guests/${u.user.id}`, {
				token: host.token,
				body: { kind: 'listener' },
			});
			await remind(room.id, u);
		}
		await expectStatus(204, h.app, 'PUT', `/api/me/blocks/${blocked.user.id}`, { token: host.token });
		await expectStatus(204, h.app, 'DELETE', `${base}/guests/${dropped.user.id}`, { token: host.token });
		const prefs = await expectStatus<{ kind: string; inApp: boolean; push: boolean }[]>(
			200,
			h.app,
			'PUT',
			'/api/me/notification-preferences',
			{ token: quiet.token, body: [{ kind: 'reminder', inApp: false, push: false }] }
		);
		expect(prefs.find((p) => p.kind === 'reminder')).toEqual({ kind: 'reminder', inApp: false, push: false });
		expect(prefs.find((p) => p.kind === 'replay')).toEqual({ kind: 'replay', inApp: true, push: true });

		await expectStatus(200, h.app, 'POST', `${base}/start`, { token: host.token });
		const reminders = async (u: TestUser) => (await list(u)).items.filter((n) => n.kind === 'reminder');
		expect(await reminders(guest)).toHaveLength(1);
		expect(await reminders(blocked)).toHaveLength(0);
		expect(await reminders(dropped)).toHaveLength(0);
		expect(await reminders(quiet)).toHaveLength(0);
	});

	test('preferences: bad input is a 400 naming the field', async () => {
		const u = await signup(h.app);
		const bad = await call<{ error: { fields: Record<string, string> } }>(
			h.app,
			'PUT',
			'/api/me/notification-preferences',
			{
				token: u.token,
				body: [{ kind: 'nonsense', inApp: true, push: true }],
			}
		);
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.error.fields).join()).toMatch(/kind/);
		const twice = await call(h.app, 'PUT', '/api/me/notification-preferences', {
			token: u.token,
			body: [
				{ kind: 'reminder', inApp: true, push: true },
				{ kind: 'reminder', inApp: false, push: true },
			],
		});
		expect(twice.status).toBe(400);
		expect((await call(h.app, 'GET', '/api/me/notifications/stream')).status).toBe(401);
	});
});

test('logging out ends that session’s open streams on every API node, and only those', async () => {
	const u = await signup(h.app);
	const again = await login(h.app, u.user.handle);
	const a = await openStream(other, u.token);
	const b = await openStream(other, again.body.token);
	try {
		await a.next((e) => e.type === 'unread');
		await b.next((e) => e.type === 'unread');
		await expectStatus(204, h.app, 'POST', '/api/auth/logout', { token: u.token });
		await expect.poll(() => a.ended(), { timeout: 5_000 }).toBe(true);
		expect(b.ended()).toBe(false);
	} finally {
		a.close();
		b.close();
	}
});

describe('for you', () => {
	test('followed hosts’ and reminded rooms, live first; not ended, not hidden, not from blocked hosts', async () => {
		const [me, followed, other, blocker] = [
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
		];
		for (const host of [followed, blocker]) {
			await expectStatus(204, h.app, 'PUT', `/api/users/${host.user.handle}/follow`, { token: me.token });
		}
		const upcoming = await createRoom(h.app, followed.token, { title: 'Upcoming' });
		const live = await createRoom(h.app, followed.token, { title: 'Live' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${live.id}/start`, { token: followed.token });
		const ended = await createRoom(h.app, followed.token, { title: 'Ended' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${ended.id}/start`, { token: followed.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${ended.id}/end`, { token: followed.token });
		await createRoom(h.app, followed.token, { title: 'Private', visibility: 'private' });
		const reminded = await createRoom(h.app, other.token, { title: 'Reminded', visibility: 'unlisted' });
		await remind(reminded.id, me);
		await createRoom(h.app, other.token, { title: 'Unrelated' });
		await createRoom(h.app, blocker.token, { title: 'From someone who blocked me' });
		await expectStatus(204, h.app, 'PUT', `/api/me/blocks/${me.user.id}`, { token: blocker.token });

		const { items } = await expectStatus<{ items: { id: string; title: string }[] }>(
			200,
			h.app,
			'GET',
			'/api/me/for-you',
			{
				token: me.token,
			}
		);
		expect(items.map((r) => r.title)).toEqual(['Live', 'Upcoming', 'Reminded']);
		expect(items[1]!.id).toBe(upcoming.id);
		expect((await call(h.app, 'GET', '/api/me/for-you')).status).toBe(401);
	});
});
