import type { Room, Series } from '@majlis/protocol';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, createRoom, expectStatus, type Harness, setup, signup } from './helper.js';

let h: Harness;

beforeAll(async () => {
	h = await setup();
});
afterAll(async () => {
	await h?.close();
});

const DAY = 24 * 3600 * 1000;

test('a weekly room: the next occurrence exists with the same settings, roles and guests; each start makes the next; the count ends it', async () => {
	const [host, cohost, mod, guest] = [
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
		await signup(h.app),
	];
	const first = new Date(Date.now() + DAY);
	first.setUTCMilliseconds(0);
	const room = await createRoom(h.app, host.token, {
		title: 'حلقة الأحد',
		description: 'Weekly',
		topics: ['poetry'],
		visibility: 'private',
		maxSpeakers: 6,
		chat: 'stage',
		scheduledFor: first.toISOString(),
	});
	const base = `/api/rooms/${room.id}`;
	await expectStatus(204, h.app, 'PUT', `${base}/cohosts/${cohost.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'PUT', `${base}/moderators/${mod.user.id}`, { token: host.token });
	await expectStatus(204, h.app, 'PUT', `${base}/guests/${guest.user.id}`, {
		token: host.token,
		body: { kind: 'speaker' },
	});
	expect((await call(h.app, 'GET', `${base}/series`, { token: host.token })).status).toBe(404);

	const series = await expectStatus<Series>(200, h.app, 'PUT', `${base}/series`, {
		token: host.token,
		body: { everyDays: 7, count: 3 },
	});
	expect(series).toMatchObject({ everyDays: 7, count: 3, until: null });
	expect(series.occurrences.map((o) => [o.index, o.state])).toEqual([
		[1, 'scheduled'],
		[2, 'scheduled'],
	]);
	const second = series.occurrences[1]!;
	expect(Date.parse(second.scheduledFor!)).toBe(first.getTime() + 7 * DAY);
	const copy = await expectStatus<Room>(200, h.app, 'GET', `/api/rooms/${second.id}`, { token: guest.token });
	expect(copy).toMatchObject({
		title: 'حلقة الأحد',
		description: 'Weekly',
		topics: ['poetry'],
		visibility: 'private',
		maxSpeakers: 6,
		chat: 'stage',
		state: 'scheduled',
	});
	expect(copy.cohosts.map((u) => u.id)).toEqual([cohost.user.id]);
	expect(copy.moderators.map((u) => u.id)).toEqual([mod.user.id]);
	expect(
		await expectStatus(200, h.app, 'GET', `/api/rooms/${second.id}/guests`, { token: host.token })
	).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ user: expect.objectContaining({ id: guest.user.id }), kind: 'speaker' }),
		])
	);

	// Starting the first changes nothing (the second exists); starting the second makes the third, the last.
	await expectStatus(200, h.app, 'POST', `${base}/start`, { token: host.token });
	await expectStatus(200, h.app, 'POST', `${base}/end`, { token: host.token });
	expect(
		(await expectStatus<Series>(200, h.app, 'GET', `${base}/series`, { token: guest.token })).occurrences
	).toHaveLength(2);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${second.id}/start`, { token: cohost.token });
	await expectStatus(200, h.app, 'POST', `/api/rooms/${second.id}/end`, { token: host.token });
	const third = (await expectStatus<Series>(200, h.app, 'GET', `${base}/series`, { token: host.token }))
		.occurrences;
	expect(third.map((o) => [o.index, o.state])).toEqual([
		[1, 'ended'],
		[2, 'ended'],
		[3, 'scheduled'],
	]);
	expect(Date.parse(third[2]!.scheduledFor!)).toBe(first.getTime() + 14 * DAY);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${third[2]!.id}/start`, { token: host.token });
	expect(
		(await expectStatus<Series>(200, h.app, 'GET', `${base}/series`, { token: host.token })).occurrences
	).toHaveLength(3);
	// A private series is no stranger's business.
	const stranger = await signup(h.app);
	expect((await call(h.app, 'GET', `${base}/series`, { token: stranger.token })).status).toBe(404);
});

test('cancelling the upcoming occurrence makes the one after it, so the series goes on', async () => {
	const host = await signup(h.app);
	const first = new Date(Date.now() + DAY);
	first.setUTCMilliseconds(0);
	const room = await createRoom(h.app, host.token, { title: 'Weekly talk', scheduledFor: first.toISOString() });
	const base = `/api/rooms/${room.id}`;
	const series = await expectStatus<Series>(200, h.app, 'PUT', `${base}/series`, {
		token: host.token,
		body: { everyDays: 7, count: 4 },
	});
	const second = series.occurrences[1]!;
	await expectStatus(204, h.app, 'DELETE', `/api/rooms/${second.id}`, { token: host.token });
	const after = (await expectStatus<Series>(200, h.app, 'GET', `${base}/series`, { token: host.token }))
		.occurrences;
	expect(after.map((o) => [o.index, o.state])).toEqual([
		[1, 'scheduled'],
		[3, 'scheduled'],
	]);
	expect(Date.parse(after[1]!.scheduledFor!)).toBe(first.getTime() + 14 * DAY);
	// Its start makes the fourth, the last.
	await expectStatus(200, h.app, 'POST', `/api/rooms/${after[1]!.id}/start`, { token: host.token });
	const last = (await expectStatus<Series>(200, h.app, 'GET', `${base}/series`, { token: host.token }))
		.occurrences;
	expect(last.map((o) => o.index)).toEqual([1, 3, 4]);
});

test('every N days until a date; refusals name the field', async () => {
	const host = await signup(h.app);
	const first = new Date(Date.now() + DAY);
	const room = await createRoom(h.app, host.token, { scheduledFor: first.toISOString() });
	const url = `/api/rooms/${room.id}/series`;
	const none = await call<{ error: { fields: Record<string, string> } }>(h.app, 'PUT', url, {
		token: host.token,
		body: { everyDays: 3 },
	});
	expect(none.status).toBe(400);
	expect(Object.keys(none.body.error.fields)).toContain('until');
	const before = await call<{ error: { fields: Record<string, string> } }>(h.app, 'PUT', url, {
		token: host.token,
		body: { everyDays: 3, until: new Date(Date.now()).toISOString() },
	});
	expect(before.status).toBe(400);
	expect(
		(await call(h.app, 'PUT', url, { token: host.token, body: { everyDays: 0, count: 3 } })).status
	).toBe(400);
	const other = await signup(h.app);
	expect(
		(await call(h.app, 'PUT', url, { token: other.token, body: { everyDays: 3, count: 3 } })).status
	).toBe(403);
	// Until four days later: the second (day 3) fits, the third (day 6) would not.
	const series = await expectStatus<Series>(200, h.app, 'PUT', url, {
		token: host.token,
		body: { everyDays: 3, until: new Date(first.getTime() + 4 * DAY).toISOString() },
	});
	expect(series.occurrences).toHaveLength(2);
	await expectStatus(200, h.app, 'POST', `/api/rooms/${series.occurrences[1]!.id}/start`, {
		token: host.token,
	});
	expect(
		(await expectStatus<Series>(200, h.app, 'GET', url, { token: host.token })).occurrences
	).toHaveLength(2);
	expect(
		(await call(h.app, 'PUT', url, { token: host.token, body: { everyDays: 3, count: 3 } })).status
	).toBe(409);
	const unplanned = await createRoom(h.app, host.token);
	expect(
		(
			await call(h.app, 'PUT', `/api/rooms/${unplanned.id}/series`, {
				token: host.token,
				body: { everyDays: 7, count: 2 },
			})
		).status
	).toBe(409);
});
