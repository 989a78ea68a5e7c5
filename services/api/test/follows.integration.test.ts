import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, expectStatus, type Harness, setup, signup, type TestUser } from './helper.js';

let h: Harness;
let ann: TestUser;
let bob: TestUser;
let cat: TestUser;

beforeAll(async () => {
	h = await setup();
	ann = await signup(h.app);
	bob = await signup(h.app);
	cat = await signup(h.app);
});
afterAll(async () => {
	await h?.close();
});

describe('follows', () => {
	test('following is idempotent both ways and shows in counts, isFollowing and followerIds', async () => {
		const url = `/api/users/${bob.user.handle}/follow`;
		await expectStatus(204, h.app, 'PUT', url, { token: ann.token });
		await expectStatus(204, h.app, 'PUT', url, { token: ann.token });
		await expectStatus(204, h.app, 'PUT', url.replace(bob.user.handle, bob.user.handle.toUpperCase()), {
			token: cat.token,
		});
		await expectStatus(204, h.app, 'PUT', `/api/users/${cat.user.handle}/follow`, { token: bob.token });

		const { follows } = h.app;
		expect(await follows.counts(bob.user.id)).toEqual({ followers: 2, following: 1 });
		expect(await follows.counts(ann.user.id)).toEqual({ followers: 0, following: 1 });
		expect(await follows.isFollowing(ann.user.id, bob.user.id)).toBe(true);
		expect(await follows.isFollowing(bob.user.id, ann.user.id)).toBe(false);
		expect((await follows.followerIds(bob.user.id)).sort()).toEqual([ann.user.id, cat.user.id].sort());

		await expectStatus(204, h.app, 'DELETE', url, { token: ann.token });
		await expectStatus(204, h.app, 'DELETE', url, { token: ann.token });
		expect(await follows.counts(bob.user.id)).toEqual({ followers: 1, following: 1 });
		expect(await follows.followerIds(bob.user.id)).toEqual([cat.user.id]);
	});

	test('following yourself is a 409, a bad handle a 400 naming the field', async () => {
		const self = await call<{ error: { code: string } }>(
			h.app,
			'PUT',
			`/api/users/${ann.user.handle}/follow`,
			{
				token: ann.token,
			}
		);
		expect(self.status).toBe(409);
		const bad = await call<{ error: { fields?: Record<string, string> } }>(
			h.app,
			'PUT',
			'/api/users/no-dash/follow',
			{
				token: ann.token,
			}
		);
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields).toHaveProperty('handle');
	});
});
