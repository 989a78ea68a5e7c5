import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call, createRoom, expectStatus, type Harness, setup, signup } from './helper.js';

let h: Harness;

beforeAll(async () => {
	h = await setup();
});
afterAll(async () => {
	await h?.close();
});

const ARABIC_TITLE = 'مجلس الأدب العربي: قراءة في شعر المتنبي وأثره في الأدب الحديث والمعاصر';
const ARABIC_DESCRIPTION = 'نلتقي مساء الخميس لنقرأ معاً قصائد مختارة ونتحدث عن اللغة والصورة والإيقاع. '
	.repeat(3)
	.trim();

/** Every content line at most 75 octets (RFC 5545 §3.1), CRLF-terminated, never split inside a UTF-8 character. */
function expectFolded(raw: Buffer): void {
	const text = raw.toString('utf8');
	expect(Buffer.from(text, 'utf8').equals(raw)).toBe(true);
	expect(text.endsWith('\r\n') || text.endsWith('END:VCALENDAR')).toBe(true);
	for (const line of text.split('\r\n')) {
		expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
		expect(line).not.toContain('\uFFFD');
	}
}

function events(ics: string): ICAL.Event[] {
	const component = new ICAL.Component(ICAL.parse(ics));

	return component.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

async function getIcs(url: string, token?: string): Promise<{ status: number; raw: Buffer; type: string }> {
	const res = await h.app.inject({
		method: 'GET',
		url,
		headers: token ? { authorization: `Bearer ${token}` } : {},
	});

	return { status: res.statusCode, raw: res.rawPayload, type: String(res.headers['content-type']) };
}

test('a room’s .ics: UID, DTSTAMP, UTC start and end, URL, Arabic intact and folded at 75 octets', async () => {
	const host = await signup(h.app, { displayName: 'سارة' });
	const when = new Date(Date.now() + 3 * 24 * 3600 * 1000);
	when.setUTCMilliseconds(0);
	const room = await createRoom(h.app, host.token, {
		title: ARABIC_TITLE,
		description: ARABIC_DESCRIPTION,
		scheduledFor: when.toISOString(),
	});
	const { status, raw, type } = await getIcs(`/api/rooms/${room.id}/calendar.ics`);
	expect(status).toBe(200);
	expect(type).toMatch(/^text\/calendar/);
	expectFolded(raw);
	const text = raw.toString('utf8');
	expect(text).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/m);
	expect(text).toMatch(/^DTSTART:\d{8}T\d{6}Z$/m);
	expect(text).toMatch(/^DTEND:\d{8}T\d{6}Z$/m);
	const [event] = events(text);
	expect(event!.uid).toBe(`${room.id}@majlis`);
	expect(event!.summary).toBe(ARABIC_TITLE);
	expect(event!.description).toContain(ARABIC_DESCRIPTION);
	expect(event!.description).toContain('سارة');
	expect(event!.startDate.toJSDate().getTime()).toBe(when.getTime());
	expect(event!.startDate.zone?.tzid).toBe('UTC');
	expect(event!.endDate.toJSDate().getTime()).toBe(when.getTime() + 3600_000);
	expect(String(event!.component.getFirstPropertyValue('url'))).toMatch(
		new RegExp(`^http://[^/]+/rooms/${room.id}$`)
	);
	expect(event!.sequence).toBe(0);

	// A private room's calendar is no stranger's business.
	const secret = await createRoom(h.app, host.token, { visibility: 'private' });
	const stranger = await signup(h.app);
	expect((await getIcs(`/api/rooms/${secret.id}/calendar.ics`, stranger.token)).status).toBe(404);
	expect((await getIcs(`/api/rooms/${secret.id}/calendar.ics`, host.token)).status).toBe(200);
	expect((await getIcs('/api/rooms/nope/calendar.ics')).status).toBe(400);
});

test('the personal feed: hosted, reminded and followed rooms; SEQUENCE on reschedule; CANCELLED on cancel; revocable', async () => {
	const [me, friend, stranger] = [await signup(h.app), await signup(h.app), await signup(h.app)];
	const mine = await createRoom(h.app, me.token, { title: 'غرفتي' });
	const theirs = await createRoom(h.app, stranger.token, { title: 'غرفة سأحضرها' });
	const followed = await createRoom(h.app, friend.token, { title: 'غرفة صديق' });
	const unrelated = await createRoom(h.app, stranger.token, { title: 'لا علاقة لي بها' });
	const hidden = await createRoom(h.app, friend.token, { title: 'خاصة', visibility: 'private' });
	await expectStatus(200, h.app, 'PUT', `/api/rooms/${theirs.id}/reminder`, { token: me.token });
	await expectStatus(204, h.app, 'PUT', `/api/users/${friend.user.handle}/follow`, { token: me.token });

	const { url } = await expectStatus<{ url: string }>(200, h.app, 'GET', '/api/me/calendar-feed', {
		token: me.token,
	});
	expect(await expectStatus(200, h.app, 'GET', '/api/me/calendar-feed', { token: me.token })).toEqual({
		url,
	});
	const path = new URL(url).pathname;
	const feed = async () => {
		const res = await getIcs(path);
		expect(res.status).toBe(200);
		expectFolded(res.raw);

		return new Map(events(res.raw.toString('utf8')).map((e) => [e.uid.replace('@majlis', ''), e]));
	};
	let items = await feed();
	expect([...items.keys()].sort()).toEqual([mine.id, theirs.id, followed.id].sort());
	expect(items.get(theirs.id)!.summary).toBe('غرفة سأحضرها');
	expect(items.has(unrelated.id)).toBe(false);
	expect(items.has(hidden.id)).toBe(false);

	const later = new Date(Date.now() + 5 * 24 * 3600 * 1000);
	later.setUTCMilliseconds(0);
	await expectStatus(200, h.app, 'PATCH', `/api/rooms/${theirs.id}`, {
		token: stranger.token,
		body: { scheduledFor: later.toISOString() },
	});
	await expectStatus(204, h.app, 'DELETE', `/api/rooms/${followed.id}`, { token: friend.token });
	items = await feed();
	const moved = items.get(theirs.id)!;
	expect(moved.sequence).toBe(1);
	expect(moved.startDate.toJSDate().getTime()).toBe(later.getTime());
	const cancelled = items.get(followed.id)!;
	expect(cancelled.component.getFirstPropertyValue('status')).toBe('CANCELLED');
	expect(cancelled.sequence).toBe(1);
	expect(cancelled.summary).toBe('غرفة صديق');
	expect(items.get(mine.id)!.component.getFirstPropertyValue('status')).toBe('CONFIRMED');

	// A new URL: the old one stops working.
	const rotated = await expectStatus<{ url: string }>(200, h.app, 'POST', '/api/me/calendar-feed', {
		token: me.token,
	});
	expect(rotated.url).not.toBe(url);
	expect((await getIcs(path)).status).toBe(404);
	expect((await getIcs(new URL(rotated.url).pathname)).status).toBe(200);
	await expectStatus(204, h.app, 'DELETE', '/api/me/calendar-feed', { token: me.token });
	expect((await getIcs(new URL(rotated.url).pathname)).status).toBe(404);
	expect((await call(h.app, 'GET', '/api/calendar/short.ics')).status).toBe(400);
	expect((await call(h.app, 'GET', '/api/me/calendar-feed')).status).toBe(401);
});
