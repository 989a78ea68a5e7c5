import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile, Room, User } from '@majlis/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	call,
	createRoom,
	expectStatus,
	type Harness,
	inFuture,
	login,
	PASSWORD,
	setup,
	signup,
	type TestUser,
} from './helper.js';

type ErrorBody = { error: { code: string; fields?: Record<string, string> } };

let h: Harness;
let avatarDir: string;
beforeAll(async () => {
	avatarDir = await mkdtemp(join(tmpdir(), 'majlis-avatars-'));
	h = await setup({ avatarDir });
});
afterAll(async () => {
	await h?.close();
	await rm(avatarDir, { recursive: true, force: true });
});

/** Uploads `bytes` as `who`'s avatar with `type`. */
function upload(who: TestUser | undefined, bytes: Buffer, type: string) {
	return h.app.inject({
		method: 'PUT',
		url: '/api/me/avatar',
		headers: { 'content-type': type, ...(who ? { authorization: `Bearer ${who.token}` } : {}) },
		payload: bytes,
	});
}

/** A JPEG photo with EXIF (camera, GPS-like text) and an orientation tag, as a phone would send. */
function photo(width: number, height: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } })
		.jpeg()
		.withExif({ IFD0: { Make: 'SecretCam', Model: 'Spy 3000', Copyright: 'GPS 51.5N 0.1W' } })
		.toBuffer();
}

describe('profile', () => {
	test('name, bio, follow counts and whether I follow; PATCH /api/me changes name and bio', async () => {
		const ann = await signup(h.app);
		const bob = await signup(h.app);
		await expectStatus(204, h.app, 'PUT', `/api/users/${bob.user.handle}/follow`, { token: ann.token });
		const updated = await expectStatus<User>(200, h.app, 'PATCH', '/api/me', {
			token: bob.token,
			body: { displayName: '  بوب  ', bio: 'أحب الشعر\nand poetry' },
		});
		expect(updated.displayName).toBe('بوب');

		const asAnn = await expectStatus<Profile>(200, h.app, 'GET', `/api/users/${bob.user.handle}`, {
			token: ann.token,
		});
		expect(asAnn).toMatchObject({
			id: bob.user.id,
			handle: bob.user.handle,
			displayName: 'بوب',
			bio: 'أحب الشعر\nand poetry',
			avatarUrl: null,
			followers: 1,
			following: 0,
			followedByMe: true,
		});
		expect(
			(await expectStatus<Profile>(200, h.app, 'GET', `/api/users/${bob.user.handle}`)).followedByMe
		).toBeNull();
		expect(
			(await expectStatus<Profile>(200, h.app, 'GET', `/api/users/${ann.user.handle}`, { token: bob.token }))
				.followedByMe
		).toBe(false);
		expect((await call(h.app, 'GET', '/api/users/nobody_at_all')).status).toBe(404);
	});

	test('bad profile edits are 400s naming the field; anonymous is 401', async () => {
		const me = await signup(h.app);
		const blank = await call<ErrorBody>(h.app, 'PATCH', '/api/me', {
			token: me.token,
			body: { displayName: '\u200b ' },
		});
		expect(blank.status).toBe(400);
		expect(blank.body.error.fields).toEqual({ displayName: 'must contain visible characters' });
		const long = await call<ErrorBody>(h.app, 'PATCH', '/api/me', {
			token: me.token,
			body: { bio: 'x'.repeat(301) },
		});
		expect(long.status).toBe(400);
		expect(Object.keys(long.body.error.fields ?? {})).toEqual(['bio']);
		expect((await call(h.app, 'PATCH', '/api/me', { body: { bio: 'hi' } })).status).toBe(401);
	});
});

describe('avatar', () => {
	test('an upload is cropped to 256², re-encoded without its metadata, and served with cache headers', async () => {
		const me = await signup(h.app);
		const res = await upload(me, await photo(1200, 800), 'image/jpeg');
		expect(res.statusCode).toBe(200);
		const { avatarUrl } = res.json<{ avatarUrl: string }>();
		expect(avatarUrl).toMatch(new RegExp(`^/api/users/${me.user.handle}/avatar\\?v=[0-9a-f]{16}$`));
		const profile = await expectStatus<Profile>(200, h.app, 'GET', `/api/users/${me.user.handle}`);
		expect(profile.avatarUrl).toBe(avatarUrl);

		const image = await h.app.inject({ method: 'GET', url: avatarUrl });
		expect(image.statusCode).toBe(200);
		expect(image.headers['content-type']).toBe('image/webp');
		expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		const meta = await sharp(image.rawPayload).metadata();
		expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
		expect(meta.exif).toBeUndefined();
		expect(image.rawPayload.includes('SecretCam')).toBe(false);
		expect(image.rawPayload.includes('GPS 51.5N')).toBe(false);

		// The bare URL revalidates; the ETag answers 304.
		const bare = await h.app.inject({ method: 'GET', url: `/api/users/${me.user.handle}/avatar` });
		expect(bare.headers['cache-control']).toBe('public, no-cache');
		const again = await h.app.inject({
			method: 'GET',
			url: `/api/users/${me.user.handle}/avatar`,
			headers: { 'if-none-match': String(bare.headers.etag) },
		});
		expect(again.statusCode).toBe(304);

		// A new upload gets a new version; removing it leaves none.
		const png = await sharp({ create: { width: 64, height: 300, channels: 4, background: '#0a0' } })
			.png()
			.toBuffer();
		const second = await upload(me, png, 'image/png');
		expect(second.statusCode).toBe(200);
		expect(second.json<{ avatarUrl: string }>().avatarUrl).not.toBe(avatarUrl);
		await expectStatus(204, h.app, 'DELETE', '/api/me/avatar', { token: me.token });
		expect((await h.app.inject({ method: 'GET', url: avatarUrl })).statusCode).toBe(404);
		expect(
			(await expectStatus<Profile>(200, h.app, 'GET', `/api/users/${me.user.handle}`)).avatarUrl
		).toBeNull();
	});

	test('too large is 413, another type 415, not an image 400 naming avatar, anonymous 401', async () => {
		const me = await signup(h.app);
		const big = await upload(me, Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'image/png');
		expect(big.statusCode).toBe(413);
		expect(big.json<ErrorBody>().error.code).toBe('too_large');
		const svg = await upload(me, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml');
		expect(svg.statusCode).toBe(415);
		expect(svg.json<ErrorBody>().error.code).toBe('unsupported');
		const junk = await upload(me, Buffer.from('not a png at all'), 'image/png');
		expect(junk.statusCode).toBe(400);
		expect(junk.json<ErrorBody>().error.fields).toEqual({
			avatar: 'is not a readable PNG, JPEG or WebP image',
		});
		expect((await upload(undefined, await photo(10, 10), 'image/jpeg')).statusCode).toBe(401);
	});
});

describe('account deletion', () => {
	test('needs the password; ends live rooms, cancels scheduled ones, keeps ended rooms without the name', async () => {
		const gone = await signup(h.app, { displayName: 'Vanishing Host' });
		const fan = await signup(h.app);
		await expectStatus(204, h.app, 'PUT', `/api/users/${gone.user.handle}/follow`, { token: fan.token });
		const live = await createRoom(h.app, gone.token, { title: 'live now' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${live.id}/start`, { token: gone.token });
		const scheduled = await createRoom(h.app, gone.token, { title: 'later', scheduledFor: inFuture() });
		const past = await createRoom(h.app, gone.token, { title: 'vanishing past' });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${past.id}/start`, { token: gone.token });
		await expectStatus(200, h.app, 'POST', `/api/rooms/${past.id}/end`, { token: gone.token });
		// What the person set up elsewhere: a reminder of someone's room, a calendar feed, an API token.
		const fans = await createRoom(h.app, fan.token, { title: 'fan show', scheduledFor: inFuture() });
		await expectStatus(200, h.app, 'PUT', `/api/rooms/${fans.id}/reminder`, { token: gone.token });
		await expectStatus(200, h.app, 'POST', '/api/me/calendar-feed', { token: gone.token });
		await expectStatus(201, h.app, 'POST', '/api/me/tokens', {
			token: gone.token,
			body: { name: 'script', scopes: ['read'] },
		});
		const personal = async () =>
			Promise.all(
				(['room_reminders', 'calendar_feeds', 'api_tokens'] as const).map(async (table) => {
					const row = await h.app.db
						.selectFrom(table)
						.select((eb) => eb.fn.countAll<string>().as('n'))
						.where('user_id', '=', gone.user.id)
						.executeTakeFirstOrThrow();

					return Number(row.n);
				})
			);
		expect(await personal()).toEqual([1, 1, 1]);

		const wrong = await call<ErrorBody>(h.app, 'DELETE', '/api/me', {
			token: gone.token,
			body: { password: 'nope nope' },
		});
		expect(wrong.status).toBe(400);
		expect(wrong.body.error.fields).toEqual({ password: 'is not your password' });
		expect((await call(h.app, 'DELETE', '/api/me', { body: { password: PASSWORD } })).status).toBe(401);

		await expectStatus(204, h.app, 'DELETE', '/api/me', { token: gone.token, body: { password: PASSWORD } });

		// Signed out everywhere, unknown by handle, the handle free again, log-in impossible.
		expect((await call(h.app, 'GET', '/api/me', { token: gone.token })).status).toBe(401);
		expect((await call(h.app, 'GET', `/api/users/${gone.user.handle}`)).status).toBe(404);
		expect((await login(h.app, gone.user.handle)).status).toBe(401);
		expect((await call<Profile>(h.app, 'GET', `/api/users/${fan.user.handle}`)).body.following).toBe(0);

		expect((await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${live.id}`)).state).toBe('ended');
		expect((await call(h.app, 'GET', `/api/rooms/${scheduled.id}`)).status).toBe(404);
		const kept = await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${past.id}`);
		expect(kept.host.id).toBe(gone.user.id);
		expect(kept.host.displayName).not.toContain('Vanishing');
		expect(kept.host.handle).not.toBe(gone.user.handle);
		// Search no longer finds the rooms by the person's name.
		const page = await expectStatus<{ items: Room[] }>(
			200,
			h.app,
			'GET',
			'/api/rooms?state=ended&q=vanishing%20host'
		);
		expect(page.items).toEqual([]);

		// The moderation log of the ended room is kept (the end by the host stays, without the name).
		const row = await h.app.db
			.selectFrom('moderation_log')
			.innerJoin('users', 'users.id', 'moderation_log.actor_id')
			.select(['users.display_name', 'moderation_log.action'])
			.where('moderation_log.room_id', '=', live.id)
			.execute();
		expect(row).toEqual([{ display_name: '—', action: 'end' }]);
		expect(await personal()).toEqual([0, 0, 0]);

		await signup(h.app, { handle: gone.user.handle });
	});
});
