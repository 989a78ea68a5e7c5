import { randomInt } from 'node:crypto';
import { type Room, roomPresenceKey } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../src/index.js';
import { call, createRoom, expectStatus, type Harness, setup, signup, type TestUser } from './helper.js';

// What a handful of free accounts can do to a server: how many rooms they can hold scheduled and live,
// whether real rooms stay discoverable, and whether rooms nobody is in end by themselves.

let h: Harness;
// Accounts are made here, so sign-up limits do not get in the way of what each test is about.
let accounts: FastifyInstance;
beforeAll(async () => {
	h = await setup({ rateLimits: true });
	accounts = await h.build({ rateLimits: false });
});
afterAll(async () => {
	await accounts?.close();
	await h?.close();
});

function address(): string {
	return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

type ErrorBody = { error: { code: string; message: string } };

async function liveRooms(app = h.app): Promise<Room[]> {
	const rooms: Room[] = [];
	let cursor: string | null = null;
	do {
		const query: string = `/api/rooms?state=live&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const page = await expectStatus<{ items: Room[]; nextCursor: string | null }>(200, app, 'GET', query);
		rooms.push(...page.items);
		cursor = page.nextCursor;
	} while (cursor);

	return rooms;
}

async function liveTitles(app = h.app): Promise<string[]> {
	return (await liveRooms(app)).map((r) => r.title);
}

describe('room quotas', () => {
	test('a host has one live room at a time by default: starting another is 409 limit_reached', async () => {
		const host = await signup(accounts);
		const [first, second] = [await createRoom(h.app, host.token), await createRoom(h.app, host.token)];
		await expectStatus(200, h.app, 'POST', `/api/rooms/${first.id}/start`, { token: host.token });
		const refused = await call<ErrorBody>(h.app, 'POST', `/api/rooms/${second.id}/start`, {
			token: host.token,
		});
		expect(refused.status).toBe(409);
		expect(refused.body.error).toEqual({
			code: 'limit_reached',
			message: expect.stringMatching(/live room/),
		});
		// Once the first has ended, the second may start.
		await expectStatus(200, h.app, 'POST', `/api/rooms/${first.id}/end`, { token: host.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${second.id}/start`, { token: host.token });
	});

	test(`a host may have ${DEFAULT_LIMITS.scheduledRoomsPerUser} scheduled rooms; the next is 409 limit_reached`, async () => {
		const app = await h.build({ rateLimits: true, limits: { scheduledRoomsPerUser: 3 } });
		try {
			const host = await signup(app);
			for (let i = 0; i < 3; i++) {
				await createRoom(app, host.token);
			}
			const refused = await call<ErrorBody>(app, 'POST', '/api/rooms', {
				token: host.token,
				body: { title: 'one too many', visibility: 'public' },
			});
			expect(refused.status).toBe(409);
			expect(refused.body.error.code).toBe('limit_reached');
			expect(refused.body.error.message).toMatch(/at most 3 scheduled rooms/);
		} finally {
			await app.close();
		}
	});

	test('10 accounts trying to start 1,000 rooms are capped; a new real room still appears in discovery', async () => {
		const spammers: TestUser[] = [];
		for (let i = 0; i < 10; i++) {
			spammers.push(await signup(accounts));
		}
		const outcomes = new Map<number, number>();
		const count = (status: number) => outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
		// One request after another: the embedded Postgres (PGlite behind one socket) serves one
		// transaction at a time anyway.
		for (const spammer of spammers) {
			await (async () => {
				const remoteAddress = address();
				for (let i = 0; i < 100; i++) {
					const created = await call<Room>(h.app, 'POST', '/api/rooms', {
						token: spammer.token,
						body: { title: `spam ${i}`, visibility: 'public' },
						remoteAddress,
					});
					count(created.status);
					if (created.status === 201) {
						count(
							(
								await call(h.app, 'POST', `/api/rooms/${created.body.id}/start`, {
									token: spammer.token,
									remoteAddress,
								})
							).status
						);
					}
				}
			})();
		}
		// Each account: at most its scheduled cap created, one live; the rest refused (409 or 429).
		const live = (await liveTitles()).filter((t) => t.startsWith('spam '));
		expect(live.length).toBeLessThanOrEqual(10);
		expect(live.length).toBeGreaterThan(0);
		expect((outcomes.get(409) ?? 0) + (outcomes.get(429) ?? 0)).toBeGreaterThan(700);

		const real = await signup(accounts);
		const room = await createRoom(h.app, real.token, { title: 'A real conversation' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${room.id}/start`, { token: real.token });
		expect(await liveTitles()).toContain('A real conversation');
	});
});

describe('listing', () => {
	test('the live listing walks every live room with its cursor (none left out past the first thousand)', async () => {
		const app = await h.build({ rateLimits: false });
		try {
			const host = await signup(app);
			// Old rooms inserted directly: the quotas would (rightly) refuse this many.
			const started = new Date(Date.now() - 3_600_000);
			const rows = Array.from({ length: 1100 }, (_, i) => ({
				host_id: host.user.id,
				title: `old ${i}`,
				description: '',
				topics: [],
				scheduled_for: null,
				visibility: 'public' as const,
				speak_requests: 'everyone' as const,
				max_speakers: 10,
				state: 'live' as const,
				started_at: started,
				created_at: started,
				updated_at: started,
			}));
			await app.db.insertInto('rooms').values(rows).execute();
			const newest = await createRoom(app, host.token, { title: 'newest live room' });
			await expectStatus(200, app, 'POST', `/api/rooms/${newest.id}/start`, { token: host.token });
			const rooms = await liveRooms(app);
			const titles = rooms.map((r) => r.title);
			expect(titles).toContain('newest live room');
			// Each room once: the cursor neither skips nor repeats.
			expect(new Set(rooms.map((r) => r.id)).size).toBe(rooms.length);
			expect(titles.filter((t) => t.startsWith('old ')).length).toBe(1100);
		} finally {
			await app.db.deleteFrom('rooms').where('title', 'like', 'old %').execute();
			await app.close();
		}
	});
});

describe('idle live rooms', () => {
	test('a live room nobody opened, or that is left empty, ends by itself after the idle time', async () => {
		const app = await h.build({ rateLimits: false, limits: { idleLiveRoomMs: 300, sweepIntervalMs: 50 } });
		try {
			const host = await signup(app);
			const other = await signup(app);
			const abandoned = await createRoom(app, host.token, { title: 'never opened' });
			const busy = await createRoom(app, other.token, { title: 'has listeners' });
			await expectStatus(200, app, 'POST', `/api/rooms/${busy.id}/start`, { token: other.token });
			// What the serving SFU node writes while people are connected.
			await h.bus.set(roomPresenceKey(busy.id), '3', 10_000);
			await expectStatus(200, app, 'POST', `/api/rooms/${abandoned.id}/start`, { token: host.token });

			const stateOf = async (id: string) =>
				(await expectStatus<Room>(200, app, 'GET', `/api/rooms/${id}`, { token: host.token })).state;
			await expect.poll(() => stateOf(abandoned.id), { timeout: 5000, interval: 50 }).toBe('ended');
			expect(await stateOf(busy.id)).toBe('live');

			// Everyone leaves (the count drops to 0; nobody on stage): it ends after the idle time too.
			await h.bus.set(roomPresenceKey(busy.id), '0', 10_000);
			await expect.poll(() => stateOf(busy.id), { timeout: 5000, interval: 50 }).toBe('ended');
		} finally {
			await app.close();
		}
	});
});
