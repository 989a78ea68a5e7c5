import { randomBytes } from 'node:crypto';
import { type Room, roomPresenceKey } from '@majlis/protocol';
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

type Page = { items: Room[]; nextCursor: string | null };

let h: Harness;
let host: TestUser;
let stranger: TestUser;
beforeAll(async () => {
	h = await setup();
	host = await signup(h.app);
	stranger = await signup(h.app);
});
afterAll(() => h?.close());

/** A word no other test uses, to filter this test's rooms with `q`. */
function marker(): string {
	return `m${randomBytes(4).toString('hex')}`;
}

async function list(query: string, token?: string): Promise<Page> {
	return expectStatus<Page>(200, h.app, 'GET', `/api/rooms?${query}`, { token });
}

async function start(room: Room): Promise<void> {
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: host.token });
}

async function end(room: Room): Promise<void> {
	await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/end`, { token: host.token });
}

/** Every page, following nextCursor. */
async function walk(query: string, token?: string): Promise<Room[]> {
	const all: Room[] = [];
	let cursor: string | null = null;
	for (let i = 0; i < 100; i++) {
		const page: Page = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
		all.push(...page.items);
		cursor = page.nextCursor;
		if (!cursor) {
			break;
		}
	}

	return all;
}

describe('visibility', () => {
	test('public rooms for everyone; private ones for their members; unlisted ones never', async () => {
		const m = marker();
		const [cohost, mod, guest] = [await signup(h.app), await signup(h.app), await signup(h.app)];
		const pub = await createRoom(h.app, host.token, { title: `${m} public` });
		await createRoom(h.app, host.token, { title: `${m} unlisted`, visibility: 'unlisted' });
		const priv = await createRoom(h.app, host.token, { title: `${m} private`, visibility: 'private' });
		const guestOnly = await createRoom(h.app, host.token, { title: `${m} guests`, visibility: 'private' });
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${priv.id}/cohosts/${cohost.user.id}`, {
			token: host.token,
		});
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${priv.id}/moderators/${mod.user.id}`, {
			token: host.token,
		});
		await expectStatus(204, h.app, 'PUT', `/api/rooms/${guestOnly.id}/guests/${guest.user.id}`, {
			token: host.token,
			body: { kind: 'listener' },
		});
		const ids = async (token?: string) => (await list(`q=${m}`, token)).items.map((r) => r.title).sort();
		expect(await ids()).toEqual([`${m} public`]);
		expect(await ids(stranger.token)).toEqual([`${m} public`]);
		expect(await ids(host.token)).toEqual([`${m} guests`, `${m} private`, `${m} public`]);
		expect(await ids(cohost.token)).toEqual([`${m} private`, `${m} public`]);
		expect(await ids(mod.token)).toEqual([`${m} private`, `${m} public`]);
		expect(await ids(guest.token)).toEqual([`${m} guests`, `${m} public`]);
		// Listed items carry the caller's role.
		const asGuest = await list(`q=${m}`, guest.token);
		expect(asGuest.items.find((r) => r.id === guestOnly.id)?.myRole).toBe('listener');
		expect(asGuest.items.find((r) => r.id === pub.id)?.myRole).toBe('listener');
		expect((await list(`q=${m}`)).items[0]?.myRole).toBeUndefined();
	});
});

describe('order', () => {
	test('live rooms first by listener count, then scheduled by start time (nulls last); ended excluded', async () => {
		const m = marker();
		const quiet = await createRoom(h.app, host.token, { title: `${m} quiet` });
		const busy = await createRoom(h.app, host.token, { title: `${m} busy` });
		const medium = await createRoom(h.app, host.token, { title: `${m} medium` });
		const alsoQuiet = await createRoom(h.app, host.token, { title: `${m} also quiet` });
		for (const room of [quiet, busy, medium, alsoQuiet]) {
			await start(room);
		}
		await h.bus.set(roomPresenceKey(busy.id), '42');
		await h.bus.set(roomPresenceKey(medium.id), '7');
		const later = await createRoom(h.app, host.token, {
			title: `${m} later`,
			scheduledFor: inFuture(7_200_000),
		});
		const sooner = await createRoom(h.app, host.token, {
			title: `${m} sooner`,
			scheduledFor: inFuture(3_600_000),
		});
		const whenever = await createRoom(h.app, host.token, { title: `${m} whenever` });
		const over = await createRoom(h.app, host.token, { title: `${m} over` });
		await start(over);
		await end(over);

		const page = await list(`q=${m}`);
		expect(page.items.map((r) => r.title)).toEqual([
			`${m} busy`,
			`${m} medium`,
			// Same count: the one that started first.
			`${m} quiet`,
			`${m} also quiet`,
			`${m} sooner`,
			`${m} later`,
			`${m} whenever`,
		]);
		expect(page.items.map((r) => r.listenerCount)).toEqual([42, 7, 0, 0, 0, 0, 0]);
		expect(page.nextCursor).toBeNull();
		expect((await list(`q=${m}&state=scheduled`)).items.map((r) => r.id)).toEqual([
			sooner.id,
			later.id,
			whenever.id,
		]);
		expect((await list(`q=${m}&state=live`)).items.map((r) => r.id)).toEqual([
			busy.id,
			medium.id,
			quiet.id,
			alsoQuiet.id,
		]);

		// Counts change: so does the order.
		await h.bus.set(roomPresenceKey(alsoQuiet.id), '100');
		expect((await list(`q=${m}&state=live`)).items[0]?.id).toBe(alsoQuiet.id);
	});

	test('state=ended lists ended rooms, most recently ended first', async () => {
		const m = marker();
		const rooms: Room[] = [];
		for (let i = 0; i < 3; i++) {
			const room = await createRoom(h.app, host.token, { title: `${m} ${i}` });
			await start(room);
			await end(room);
			rooms.push(room);
			await new Promise((resolve) => setTimeout(resolve, 3));
		}
		expect((await list(`q=${m}&state=ended`)).items.map((r) => r.id)).toEqual([
			rooms[2]!.id,
			rooms[1]!.id,
			rooms[0]!.id,
		]);
		expect((await list(`q=${m}`)).items).toEqual([]);
	});
});

describe('filters', () => {
	test('topic (case-insensitive), host handle (case-insensitive), q in title or description', async () => {
		const m = marker();
		const other = await signup(h.app);
		const music = await createRoom(h.app, host.token, { title: `${m} one`, topics: ['Music', 'Jazz'] });
		const tech = await createRoom(h.app, other.token, {
			title: `${m} two`,
			topics: ['Tech'],
			description: 'About JAZZ too',
		});
		await createRoom(h.app, other.token, {
			title: 'unrelated',
			description: `mentions ${m.toUpperCase()} here`,
		});
		const titles = async (query: string) => (await list(query)).items.map((r) => r.title).sort();
		expect(await titles(`q=${m}&topic=music`)).toEqual([`${m} one`]);
		expect(await titles(`q=${m}&topic=JAZZ`)).toEqual([`${m} one`]);
		expect(await titles(`q=${m}&host=${other.user.handle.toUpperCase()}`)).toEqual([`${m} two`, 'unrelated']);
		expect(await titles(`q=${m.toUpperCase()}`)).toEqual([`${m} one`, `${m} two`, 'unrelated']);
		expect(await titles(`q=${m}&host=nobody_here`)).toEqual([]);
		expect((await list(`q=${m}&topic=tech&host=${other.user.handle}`)).items.map((r) => r.id)).toEqual([
			tech.id,
		]);
		expect(music.topics).toEqual(['Music', 'Jazz']);
	});

	test('q is words, not a pattern: % and _ are no wildcards', async () => {
		// Search matches the beginnings of words (search.integration.test.ts); punctuation separates words.
		const m = marker();
		await createRoom(h.app, host.token, { title: `${m} 100% real` });
		await createRoom(h.app, host.token, { title: `${m} 1000 fake` });
		expect((await list(`q=${encodeURIComponent(`${m} real%`)}`)).items.map((r) => r.title)).toEqual([
			`${m} 100% real`,
		]);
		expect((await list(`q=${encodeURIComponent(`${m} r%l`)}`)).items).toEqual([]);
		expect((await list(`q=${encodeURIComponent(`${m} _ake`)}`)).items).toEqual([]);
	});
});

describe('pagination', () => {
	test('cursors walk live then scheduled rooms without gaps or repeats', async () => {
		const m = marker();
		const expected: string[] = [];
		const live: Room[] = [];
		for (let i = 0; i < 5; i++) {
			const room = await createRoom(h.app, host.token, { title: `${m} live ${i}` });
			await start(room);
			await h.bus.set(roomPresenceKey(room.id), String(10 * (5 - i)));
			live.push(room);
			expected.push(room.id);
		}
		for (let i = 0; i < 4; i++) {
			const room = await createRoom(h.app, host.token, {
				title: `${m} soon ${i}`,
				scheduledFor: inFuture(60_000 * (i + 1)),
			});
			expected.push(room.id);
		}
		for (let i = 0; i < 3; i++) {
			expected.push((await createRoom(h.app, host.token, { title: `${m} someday ${i}` })).id);
		}
		const someday = expected.slice(9).sort();
		expected.splice(9, 3, ...someday);
		for (const limit of [1, 2, 5, 12, 50]) {
			const all = await walk(`q=${m}&limit=${limit}`);
			expect(all.map((r) => r.id)).toEqual(expected);
		}
		const first = await list(`q=${m}&limit=5`);
		expect(first.items.map((r) => r.id)).toEqual(expected.slice(0, 5));
		expect(first.nextCursor).toEqual(expect.any(String));
	});

	test('ended rooms paginate too', async () => {
		const m = marker();
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const room = await createRoom(h.app, host.token, { title: `${m} ${i}` });
			await start(room);
			await end(room);
			ids.unshift(room.id);
		}
		expect((await walk(`q=${m}&state=ended&limit=2`)).map((r) => r.id)).toEqual(ids);
	});

	test('limit defaults to 20 and is at most 50', async () => {
		const m = marker();
		for (let i = 0; i < 21; i++) {
			await createRoom(h.app, host.token, { title: `${m} ${i}` });
		}
		const page = await list(`q=${m}`);
		expect(page.items).toHaveLength(20);
		expect(page.nextCursor).not.toBeNull();
		for (const limit of ['0', '51', 'ten', '1.5']) {
			const res = await call(h.app, 'GET', `/api/rooms?limit=${limit}`);
			expect(res.status).toBe(400);
			expect(res.body).toMatchObject({ error: { fields: { limit: expect.any(String) } } });
		}
	});

	test('a foreign or forged cursor is 400 fields.cursor', async () => {
		const m = marker();
		for (let i = 0; i < 2; i++) {
			const room = await createRoom(h.app, host.token, { title: `${m} ${i}` });
			await start(room);
			await end(room);
		}
		const ended = await list(`q=${m}&state=ended&limit=1`);
		// A cursor of the ended listing does not belong to the default listing (live, then scheduled).
		for (const cursor of [ended.nextCursor!, 'garbage', Buffer.from('{"p":"live"}').toString('base64url')]) {
			const res = await call(h.app, 'GET', `/api/rooms?cursor=${encodeURIComponent(cursor)}`);
			expect(res.status).toBe(400);
			expect(res.body).toMatchObject({ error: { fields: { cursor: expect.any(String) } } });
		}
	});

	test.each([
		['state=open', 'state'],
		[`topic=${'x'.repeat(31)}`, 'topic'],
		[`q=${'x'.repeat(101)}`, 'q'],
	])('bad filter %s → 400 naming it', async (query, field) => {
		const res = await call(h.app, 'GET', `/api/rooms?${query}`);
		expect(res.status).toBe(400);
		expect(Object.keys((res.body as { error: { fields: object } }).error.fields)).toEqual([field]);
	});
});
