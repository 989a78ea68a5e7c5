import type { Guest, InternalRoom, Room } from '@majlis/protocol';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
	appointStageRoles,
	call,
	createRoom,
	expectStatus,
	type Harness,
	inFuture,
	login,
	setup,
	signup,
} from './helper.js';

let h: Harness;
beforeAll(async () => {
	h = await setup();
});
afterAll(() => h?.close());

test('data survives an API restart on the same database', async () => {
	const [host, cohost, mod, guest, removed] = [
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
	];
	const when = inFuture(86_400_000);
	const scheduled = await createRoom(h.app, host.token, {
		title: 'Tomorrow',
		topics: ['Music'],
		scheduledFor: when,
		visibility: 'private',
	});
	const base = `/api/rooms/${scheduled.id}`;
	await appointStageRoles(h.app, host, scheduled.id, { cohost, moderator: mod, speaker: guest });
	const live = await createRoom(h.app, host.token, { title: 'Now' });
	await expectStatus(200, h.app, 'POST', `/api/rooms/${live.id}/start`, { token: host.token });
	await expectStatus(204, h.app, 'POST', `/api/internal/rooms/${live.id}/bans`, {
		token: await h.app.tokens.signServiceToken('sfu'),
		body: { userId: removed.user.id, by: host.user.id },
	});
	const before = await expectStatus<Room>(200, h.app, 'GET', base, { token: host.token });

	await h.app.close();
	// Migrations run again on start and must be a no-op.
	h.app = await h.build();

	// Tokens issued before the restart still work (same secret), and so do passwords.
	const after = await expectStatus<Room>(200, h.app, 'GET', base, { token: host.token });
	expect(after).toEqual(before);
	expect(after).toMatchObject({
		state: 'scheduled',
		scheduledFor: when,
		topics: ['Music'],
		visibility: 'private',
	});
	expect(after.cohosts.map((u) => u.id)).toEqual([cohost.user.id]);
	expect(after.moderators.map((u) => u.id)).toEqual([mod.user.id]);
	expect(await expectStatus<Guest[]>(200, h.app, 'GET', `${base}/guests`, { token: host.token })).toEqual([
		{
			user: { id: guest.user.id, handle: guest.user.handle, displayName: guest.user.displayName },
			kind: 'speaker',
		},
	]);
	expect((await login(h.app, guest.user.handle)).status).toBe(200);
	const internal = await expectStatus<InternalRoom>(200, h.app, 'GET', `/api/internal/rooms/${live.id}`, {
		token: await h.app.tokens.signServiceToken('sfu'),
	});
	expect(internal).toMatchObject({ state: 'live', banned: [removed.user.id] });
	const join = await call(h.app, 'POST', `/api/rooms/${live.id}/join`, { token: removed.token });
	expect(join.body).toMatchObject({ error: { code: 'banned' } });
});
