import { randomUUID } from 'node:crypto';
import type { Guest, Room } from '@majlis/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	expectStatus,
	type Harness,
	inFuture,
	setup,
	signup,
	type TestUser,
} from './helper.js';

let h: Harness;
let host: TestUser;
let other: TestUser;
beforeAll(async () => {
	h = await setup();
	host = await signup(h.app);
	other = await signup(h.app);
});
afterAll(() => h?.close());

describe('POST /api/rooms', () => {
	test('creates a scheduled room with defaults; the caller is its host', async () => {
		const res = await call<Room>(h.app, 'POST', '/api/rooms', {
			token: host.token,
			body: { title: ' Morning show ', visibility: 'public' },
		});
		expect(res.status).toBe(201);
		expect(res.body).toEqual({
			id: expect.any(String),
			title: 'Morning show',
			description: '',
			topics: [],
			scheduledFor: null,
			visibility: 'public',
			speakRequests: 'everyone',
			maxSpeakers: 13,
			chat: 'everyone',
			// No language unless the host gives one (reach, issue 14).
			language: null,
			state: 'scheduled',
			host: { id: host.user.id, handle: host.user.handle, displayName: host.user.displayName },
			cohosts: [],
			moderators: [],
			listenerCount: 0,
			startedAt: null,
			endedAt: null,
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
			myRole: 'host',
		});
	});

	test('takes every setting; topics are trimmed and de-duplicated; unknown fields are dropped', async () => {
		const when = new Date(Date.now() + 86_400_000);
		const room = await createRoom(h.app, host.token, {
			title: 'Tech talk',
			description: 'Line one\nLine two',
			topics: [' Tech ', 'tech', 'AI'],
			scheduledFor: when.toISOString().replace('Z', '+00:00'),
			visibility: 'unlisted',
			speakRequests: 'invited',
			maxSpeakers: 5,
			state: 'live',
			hostId: other.user.id,
			listenerCount: 999,
		});
		expect(room).toMatchObject({
			description: 'Line one\nLine two',
			topics: ['Tech', 'AI'],
			scheduledFor: when.toISOString(),
			visibility: 'unlisted',
			speakRequests: 'invited',
			maxSpeakers: 5,
			state: 'scheduled',
			host: { id: host.user.id },
			listenerCount: 0,
		});
	});

	test.each([
		[{ title: 'x'.repeat(101) }, { title: 'must be 1–100 characters' }],
		[{ title: '' }, { title: 'must be 1–100 characters' }],
		[{ title: '   ' }, { title: 'must be 1–100 characters' }],
		[{ description: 'x'.repeat(1001) }, { description: 'must be at most 1000 characters' }],
		[{ topics: ['a', 'b', 'c', 'd'] }, { topics: 'must be at most 3 items' }],
		[{ topics: ['x'.repeat(31)] }, { 'topics.0': 'must be 1–30 characters' }],
		[{ scheduledFor: '2001-01-01T00:00:00Z' }, { scheduledFor: 'must be in the future' }],
		[{ scheduledFor: new Date(Date.now() - 1000).toISOString() }, { scheduledFor: 'must be in the future' }],
		[{ scheduledFor: 'next tuesday' }, { scheduledFor: 'must be an ISO 8601 date-time with a time zone' }],
		[{ visibility: 'friends' }, { visibility: 'must be one of "public", "unlisted", "private"' }],
		[{ visibility: undefined }, { visibility: 'is required' }],
		[{ speakRequests: 'some' }, { speakRequests: 'must be one of "everyone", "invited", "off"' }],
		[{ maxSpeakers: 0 }, { maxSpeakers: 'must be between 1 and 50' }],
		[{ maxSpeakers: 51 }, { maxSpeakers: 'must be between 1 and 50' }],
		[{ maxSpeakers: 2.5 }, { maxSpeakers: 'must be an integer' }],
		[{ maxSpeakers: '5' }, { maxSpeakers: 'must be an integer' }],
	])('refuses %o → 400 naming the field', async (fields, expected) => {
		const res = await call(h.app, 'POST', '/api/rooms', {
			token: host.token,
			body: { title: 'ok', visibility: 'public', ...fields },
		});
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			error: { code: 'bad_request', message: expect.any(String), fields: expected },
		});
	});

	test('anonymous callers get 401', async () => {
		expect(
			(await call(h.app, 'POST', '/api/rooms', { body: { title: 't', visibility: 'public' } })).status
		).toBe(401);
	});
});

describe('GET /api/rooms/:id', () => {
	test('public and unlisted rooms are readable by anyone; private ones only by members', async () => {
		const guest = await signup(h.app);
		for (const visibility of ['public', 'unlisted'] as const) {
			const room = await createRoom(h.app, host.token, { visibility });
			const anonymous = await call<Room>(h.app, 'GET', `/api/rooms/${room.id}`);
			expect(anonymous.status).toBe(200);
			expect(anonymous.body.myRole).toBeUndefined();
			expect(
				(await call<Room>(h.app, 'GET', `/api/rooms/${room.id}`, { token: other.token })).body.myRole
			).toBe('listener');
		}
		const secret = await createRoom(h.app, host.token, { visibility: 'private' });
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${secret.id}/guests/${guest.user.id}`, {
			token: host.token,
			body: { kind: 'speaker' },
		});
		const missing = await call(h.app, 'GET', `/api/rooms/${randomUUID()}`, { token: other.token });
		const hidden = await call(h.app, 'GET', `/api/rooms/${secret.id}`, { token: other.token });
		expect(missing.status).toBe(404);
		expect(hidden.status).toBe(404);
		// Indistinguishable from a room that does not exist.
		expect(hidden.body).toEqual(missing.body);
		expect((await call(h.app, 'GET', `/api/rooms/${secret.id}`)).status).toBe(404);
		expect(
			(await call<Room>(h.app, 'GET', `/api/rooms/${secret.id}`, { token: guest.token })).body.myRole
		).toBe('speaker');
	});

	test('a non-UUID id is 400, never 500', async () => {
		for (const id of [
			'abc',
			'123',
			'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
			'%00',
			"'; drop table rooms; --",
		]) {
			const res = await call(h.app, 'GET', `/api/rooms/${encodeURIComponent(id)}`);
			expect(res.status).toBe(400);
		}
	});

	test('shows host, co-hosts and moderators in appointment order, and each caller’s role', async () => {
		const [c1, c2, m1] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token);
		for (const [path, user] of [
			['cohosts', c2],
			['cohosts', c1],
			['moderators', m1],
		] as const) {
			await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/${path}/${user.user.id}`, {
				token: host.token,
			});
		}
		const seen = await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${room.id}`, { token: m1.token });
		expect(seen.cohosts.map((u) => u.id)).toEqual([c2.user.id, c1.user.id]);
		expect(seen.moderators).toEqual([
			{ id: m1.user.id, handle: m1.user.handle, displayName: m1.user.displayName },
		]);
		expect(seen.myRole).toBe('moderator');
		expect(
			(await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${room.id}`, { token: c1.token })).myRole
		).toBe('cohost');
	});
});

describe('PATCH /api/rooms/:id', () => {
	test('host and co-hosts edit settings; only the fields sent change', async () => {
		const cohost = await signup(h.app);
		const room = await createRoom(h.app, host.token, { description: 'keep me', scheduledFor: inFuture() });
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, {
			token: host.token,
		});
		const edited = await expectStatus<Room>(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: cohost.token,
			body: {
				title: 'New title',
				topics: ['News'],
				speakRequests: 'off',
				maxSpeakers: 4,
				visibility: 'private',
			},
		});
		expect(edited).toMatchObject({
			title: 'New title',
			description: 'keep me',
			topics: ['News'],
			speakRequests: 'off',
			maxSpeakers: 4,
			visibility: 'private',
			scheduledFor: room.scheduledFor,
			myRole: 'cohost',
		});
		expect(Date.parse(edited.updatedAt)).toBeGreaterThanOrEqual(Date.parse(room.updatedAt));
		const cleared = await expectStatus<Room>(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { scheduledFor: null },
		});
		expect(cleared.scheduledFor).toBeNull();
	});

	test('validates like creation: past scheduledFor → 400 fields.scheduledFor', async () => {
		const room = await createRoom(h.app, host.token);
		const res = await call(h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { scheduledFor: '2020-02-02T02:02:02Z', title: '  ' },
		});
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({
			error: { fields: { scheduledFor: 'must be in the future', title: 'must be 1–100 characters' } },
		});
	});

	test('scheduledFor cannot change once live; maxSpeakers must fit host and co-hosts (409)', async () => {
		const [c1, c2] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token);
		for (const c of [c1, c2]) {
			await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${c.user.id}`, {
				token: host.token,
			});
		}
		const small = await call(h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { maxSpeakers: 2 },
		});
		expect(small.status).toBe(409);
		expect(small.body).toMatchObject({
			error: { fields: { maxSpeakers: 'must be at least 3 (host and co-hosts)' } },
		});
		await expectStatus(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { maxSpeakers: 3 },
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		const late = await call(h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { scheduledFor: inFuture() },
		});
		expect(late.status).toBe(409);
		expect(late.body).toMatchObject({ error: { code: 'invalid_state' } });
		// Other settings stay editable while live.
		await expectStatus(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { title: 'Live now' },
		});
	});
});

describe('lifecycle', () => {
	test('scheduled → live (start) → ended (end); timestamps are set', async () => {
		const room = await createRoom(h.app, host.token);
		const live = await expectStatus<Room>(200, h.app, 'POST', `/api/rooms/${room.id}/start`, {
			token: host.token,
		});
		expect(live.state).toBe('live');
		expect(live.startedAt).not.toBeNull();
		expect(
			(await call(h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token })).body
		).toMatchObject({
			error: { code: 'invalid_state' },
		});
		const ended = await expectStatus<Room>(200, h.app, 'POST', `/api/rooms/${room.id}/end`, {
			token: host.token,
		});
		expect(ended.state).toBe('ended');
		expect(Date.parse(ended.endedAt!)).toBeGreaterThanOrEqual(Date.parse(live.startedAt!));
	});

	test('a co-host may start but not end; only the host ends', async () => {
		const cohost = await signup(h.app);
		const room = await createRoom(h.app, host.token);
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, {
			token: host.token,
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: cohost.token });
		await expectStatus(403, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: cohost.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
	});

	test('the host cancels a scheduled room (its roles and guests go with it); not a live one', async () => {
		const [cohost, guest] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token);
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, {
			token: host.token,
		});
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/guests/${guest.user.id}`, {
			token: host.token,
			body: { kind: 'listener' },
		});
		await expectStatus(204, h.app, 'DELETE', `/api/rooms/${room.id}`, { token: host.token });
		await expectStatus(404, h.app, 'GET', `/api/rooms/${room.id}`, { token: host.token });
		const client = new pg.Client({ connectionString: h.dbHandle.url });
		await client.connect();
		try {
			for (const table of ['room_roles', 'room_guests', 'room_bans']) {
				const { rows } = await client.query(`select count(*)::int as n from ${table} where room_id = $1`, [
					room.id,
				]);
				expect(rows[0].n).toBe(0);
			}
		} finally {
			await client.end();
		}
		const live = await createRoom(h.app, host.token);
		await expectStatus(200, h.app, 'POST', `/api/rooms/${live.id}/start`, { token: host.token });
		expect((await call(h.app, 'DELETE', `/api/rooms/${live.id}`, { token: host.token })).body).toMatchObject({
			error: { code: 'invalid_state' },
		});
		expect((await call(h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token })).status).toBe(404);
	});

	test('ending a scheduled room is 409 (cancel it instead)', async () => {
		const room = await createRoom(h.app, host.token);
		expect((await call(h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token })).status).toBe(409);
	});

	test('an ended room is read-only: every mutation is 409 room_ended', async () => {
		const [cohost, mod, guest, someone] = [
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
			await signup(h.app),
		];
		const room = await createRoom(h.app, host.token);
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, {
			token: host.token,
		});
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, {
			token: host.token,
		});
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/guests/${guest.user.id}`, {
			token: host.token,
			body: { kind: 'speaker' },
		});
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
		const base = `/api/rooms/${room.id}`;
		const mutations: [string, string, unknown?][] = [
			['PATCH', base, { title: 'again' }],
			['DELETE', base],
			['POST', `${base}/start`],
			['POST', `${base}/end`],
			['POST', `${base}/join`],
			['PUT', `${base}/cohosts/${someone.user.id}`],
			['DELETE', `${base}/cohosts/${cohost.user.id}`],
			['PUT', `${base}/moderators/${someone.user.id}`],
			['DELETE', `${base}/moderators/${mod.user.id}`],
			['PUT', `${base}/guests/${someone.user.id}`, { kind: 'listener' }],
			['DELETE', `${base}/guests/${guest.user.id}`],
		];
		for (const [method, url, body] of mutations) {
			const res = await call(h.app, method as 'POST', url, { token: host.token, body });
			expect([method, url, res.status, res.body]).toEqual([
				method,
				url,
				409,
				{ error: { code: 'room_ended', message: expect.any(String) } },
			]);
		}
		// Reading still works, and nothing changed.
		const after = await expectStatus<Room>(200, h.app, 'GET', base, { token: host.token });
		expect(after.cohosts.map((u) => u.id)).toEqual([cohost.user.id]);
		expect(after.moderators.map((u) => u.id)).toEqual([mod.user.id]);
		const guests = await expectStatus<Guest[]>(200, h.app, 'GET', `${base}/guests`, { token: host.token });
		expect(guests.map((g) => g.user.id)).toEqual([guest.user.id]);
	});
});

describe('co-hosts and moderators', () => {
	test('a third co-host is 409; the host cannot be appointed; unknown users are 404', async () => {
		const [c1, c2, c3] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token);
		const base = `/api/rooms/${room.id}`;
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${c1.user.id}`, { token: host.token });
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${c2.user.id}`, { token: host.token });
		// Re-appointing is idempotent.
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${c2.user.id}`, { token: host.token });
		const third = await call(h.app, 'PUT', `${base}/cohosts/${c3.user.id}`, { token: host.token });
		expect(third.status).toBe(409);
		expect(third.body).toMatchObject({ error: { code: 'conflict' } });
		expect((await call(h.app, 'PUT', `${base}/cohosts/${host.user.id}`, { token: host.token })).status).toBe(
			409
		);
		expect((await call(h.app, 'PUT', `${base}/cohosts/${randomUUID()}`, { token: host.token })).status).toBe(
			404
		);
		expect((await call(h.app, 'PUT', `${base}/cohosts/not-a-uuid`, { token: host.token })).status).toBe(400);
		// Removing one frees a seat.
		await expectStatus(204, h.app, 'DELETE', `${base}/cohosts/${c1.user.id}`, { token: host.token });
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${c3.user.id}`, { token: host.token });
	});

	test('concurrent appointments for the last seat: exactly one wins', async () => {
		const [c1, c2, c3] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token);
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${c1.user.id}`, {
			token: host.token,
		});
		const results = await Promise.all(
			[c2, c3].map((c) =>
				call(h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${c.user.id}`, { token: host.token })
			)
		);
		expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
		const after = await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${room.id}`);
		expect(after.cohosts).toHaveLength(2);
	});

	test('a co-host cannot be made moderator; a moderator can be promoted to co-host', async () => {
		const [c, m] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token);
		const base = `/api/rooms/${room.id}`;
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${c.user.id}`, { token: host.token });
		expect((await call(h.app, 'PUT', `${base}/moderators/${c.user.id}`, { token: host.token })).status).toBe(
			409
		);
		await expectStatus(204, h.app, 'PUT', `${base}/moderators/${m.user.id}`, { token: c.token });
		await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${m.user.id}`, { token: host.token });
		const after = await expectStatus<Room>(200, h.app, 'GET', base);
		expect(after.cohosts.map((u) => u.id)).toEqual([c.user.id, m.user.id]);
		expect(after.moderators).toEqual([]);
	});

	test('with maxSpeakers 2 only one co-host fits', async () => {
		const [c1, c2] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token, { maxSpeakers: 2 });
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${c1.user.id}`, {
			token: host.token,
		});
		const res = await call(h.app, 'PUT', `/api/rooms/${room.id}/cohosts/${c2.user.id}`, {
			token: host.token,
		});
		expect(res.status).toBe(409);
		expect(res.body).toMatchObject({ error: { code: 'stage_full' } });
	});

	test('removing an appointment that does not exist is a no-op 204', async () => {
		const room = await createRoom(h.app, host.token);
		await expectStatus(204, h.app, 'DELETE', `/api/rooms/${room.id}/moderators/${other.user.id}`, {
			token: host.token,
		});
		await expectStatus(204, h.app, 'DELETE', `/api/rooms/${room.id}/cohosts/${randomUUID()}`, {
			token: host.token,
		});
	});
});

describe('guest list', () => {
	test('add, change kind, list (oldest first, with user summaries) and remove', async () => {
		const [a, b] = [await signup(h.app), await signup(h.app)];
		const room = await createRoom(h.app, host.token, { visibility: 'private' });
		const base = `/api/rooms/${room.id}/guests`;
		await expectStatus(204, h.app, 'PUT', `${base}/${a.user.id}`, {
			token: host.token,
			body: { kind: 'listener' },
		});
		await expectStatus(204, h.app, 'PUT', `${base}/${b.user.id}`, {
			token: host.token,
			body: { kind: 'speaker' },
		});
		await expectStatus(204, h.app, 'PUT', `${base}/${a.user.id}`, {
			token: host.token,
			body: { kind: 'speaker' },
		});
		expect(await expectStatus<Guest[]>(200, h.app, 'GET', base, { token: host.token })).toEqual([
			{ user: { id: a.user.id, handle: a.user.handle, displayName: a.user.displayName }, kind: 'speaker' },
			{ user: { id: b.user.id, handle: b.user.handle, displayName: b.user.displayName }, kind: 'speaker' },
		]);
		await expectStatus(204, h.app, 'DELETE', `${base}/${b.user.id}`, { token: host.token });
		expect(
			(await expectStatus<Guest[]>(200, h.app, 'GET', base, { token: host.token })).map((g) => g.user.id)
		).toEqual([a.user.id]);
		// Off the list of a private room: gone from view.
		await expectStatus(404, h.app, 'GET', `/api/rooms/${room.id}`, { token: b.token });
	});

	test.each([
		[{ kind: 'vip' }, { kind: 'must be one of "speaker", "listener"' }],
		[{}, { kind: 'is required' }],
	])('refuses %o', async (body, fields) => {
		const room = await createRoom(h.app, host.token);
		const res = await call(h.app, 'PUT', `/api/rooms/${room.id}/guests/${other.user.id}`, {
			token: host.token,
			body,
		});
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ error: { fields } });
	});

	test('the host is not a guest (409); unknown users are 404', async () => {
		const room = await createRoom(h.app, host.token);
		const base = `/api/rooms/${room.id}/guests`;
		const body = { kind: 'speaker' };
		expect((await call(h.app, 'PUT', `${base}/${host.user.id}`, { token: host.token, body })).status).toBe(
			409
		);
		expect((await call(h.app, 'PUT', `${base}/${randomUUID()}`, { token: host.token, body })).status).toBe(
			404
		);
	});
});
