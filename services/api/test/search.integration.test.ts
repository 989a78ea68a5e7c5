import { randomBytes } from 'node:crypto';
import type { Room } from '@majlis/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { searchMatches } from '../src/plugins/app/rooms/rooms-repository.js';
import { call, createRoom, expectStatus, type Harness, setup, signup, type TestUser } from './helper.js';

type Page = { items: Room[]; nextCursor: string | null };

let h: Harness;
let host: TestUser;
beforeAll(async () => {
	h = await setup();
	host = await signup(h.app, { displayName: 'Shaykh Nuh' });
});
afterAll(() => h?.close());

/** A word no other test uses, so each test sees only its own rooms. */
function marker(): string {
	return `m${randomBytes(4).toString('hex')}`;
}

async function titles(query: string): Promise<string[]> {
	const page = await expectStatus<Page>(200, h.app, 'GET', `/api/rooms?${query}`);

	return page.items.map((r) => r.title).sort();
}

const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe('search', () => {
	test('Arabic as people type it: alef forms, taa marbuta, alef maqsura, tashkeel, tatweel, the article', async () => {
		const m = marker();
		await createRoom(h.app, host.token, { title: 'الإسلام اليوم', description: m });
		await createRoom(h.app, host.token, { title: 'مدرسه الحي', description: m });
		await createRoom(h.app, host.token, { title: 'مستشفى المدينة', description: m });
		await createRoom(h.app, host.token, { title: 'Cooking tonight', description: m });

		expect(await titles(q(`الاسلام ${m}`))).toEqual(['الإسلام اليوم']);
		expect(await titles(q(`إسلام ${m}`))).toEqual(['الإسلام اليوم']);
		expect(await titles(q(`مدرسة ${m}`))).toEqual(['مدرسه الحي']);
		expect(await titles(q(`مَدْرَسَةٌ ${m}`))).toEqual(['مدرسه الحي']);
		expect(await titles(q(`مستشفي ${m}`))).toEqual(['مستشفى المدينة']);
		expect(await titles(q(`المديـــنة ${m}`))).toEqual(['مستشفى المدينة']);
		expect(await titles(q(`COOK ${m}`))).toEqual(['Cooking tonight']);
		expect(await titles(q(`nothing ${m}`))).toEqual([]);
		// Punctuation alone has no words: nothing, not everything.
		expect(await titles(q('!!!'))).toEqual([]);
	});

	test('topics, descriptions and host names are searched; a rename reaches the host’s rooms', async () => {
		const m = marker();
		const other = await signup(h.app, { displayName: 'Layla Haddad' });
		await createRoom(h.app, other.token, { title: `${m} first`, topics: ['Poetry'] });
		await createRoom(h.app, other.token, { title: `${m} second`, description: 'we read السِّيرة together' });
		expect(await titles(q(`${m} poet`))).toEqual([`${m} first`]);
		expect(await titles(q(`${m} السيره`))).toEqual([`${m} second`]);
		expect(await titles(q(`${m} haddad`))).toEqual([`${m} first`, `${m} second`]);
		expect(await titles(q(`${m} ${other.user.handle}`))).toEqual([`${m} first`, `${m} second`]);

		await h.app.db
			.updateTable('users')
			.set({ display_name: 'Layla Nasser' })
			.where('id', '=', other.user.id)
			.execute();
		await h.app.roomsRepository.refreshHostSearchText(other.user.id);
		expect(await titles(q(`${m} nasser`))).toEqual([`${m} first`, `${m} second`]);
		expect(await titles(q(`${m} haddad`))).toEqual([]);
	});

	test('an edit is searchable at once', async () => {
		const m = marker();
		const room = await createRoom(h.app, host.token, { title: `${m} before` });
		await expectStatus(200, h.app, 'PATCH', `/api/rooms/${room.id}`, {
			token: host.token,
			body: { title: `${m} القاهرة` },
		});
		expect(await titles(q(`${m} قاهره`))).toEqual([`${m} القاهرة`]);
	});

	test('results are paginated', async () => {
		const m = marker();
		for (let i = 0; i < 5; i++) {
			await createRoom(h.app, host.token, { title: `${m} حلقة ${i}` });
		}
		const seen: string[] = [];
		let cursor: string | null = null;
		for (let i = 0; i < 10; i++) {
			const page: Page = await expectStatus<Page>(
				200,
				h.app,
				'GET',
				`/api/rooms?${q(`${m} حلقه`)}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
			);
			expect(page.items.length).toBeLessThanOrEqual(2);
			seen.push(...page.items.map((r) => r.title));
			cursor = page.nextCursor;
			if (!cursor) {
				break;
			}
		}
		expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${m} حلقة ${i}`));
	});

	test('the index serves the search (EXPLAIN)', async () => {
		// The test database holds a few hundred rows at most, where a sequential scan is the planner's
		// right choice; switching sequential scans off (for this transaction only) asks whether the index
		// can serve the query at all, which is what a large deployment relies on.
		const plan = await h.app.db.transaction().execute(async (trx) => {
			await sql`set local enable_seqscan = off`.execute(trx);
			const rows = await trx
				.selectFrom('rooms')
				.select('id')
				.where(() => searchMatches('الإسلام'))
				.explain();

			return rows.map((r) => String(Object.values(r)[0])).join('\n');
		});
		expect(plan).toContain('rooms_search_idx');
	});
});

describe('language', () => {
	test('rooms carry a language; the listing filters by it and by topic together', async () => {
		const m = marker();
		const ar = await createRoom(h.app, host.token, { title: `${m} عربي`, language: 'ar', topics: ['tech'] });
		await createRoom(h.app, host.token, { title: `${m} english`, language: 'en', topics: ['tech'] });
		await createRoom(h.app, host.token, { title: `${m} none` });
		expect(ar.language).toBe('ar');
		expect(await titles(`${q(m)}&language=ar`)).toEqual([`${m} عربي`]);
		expect(await titles(`${q(m)}&language=en&topic=tech`)).toEqual([`${m} english`]);
		expect(await titles(`${q(m)}&language=fr`)).toEqual([]);

		const patched = await expectStatus<Room>(200, h.app, 'PATCH', `/api/rooms/${ar.id}`, {
			token: host.token,
			body: { language: null },
		});
		expect(patched.language).toBeNull();
	});

	test('a bad language is a 400 naming the field', async () => {
		const res = await call<{ error: { fields?: Record<string, string> } }>(h.app, 'POST', '/api/rooms', {
			token: host.token,
			body: { title: 'x', visibility: 'public', language: 'AR' },
		});
		expect(res.status).toBe(400);
		expect(res.body.error.fields).toEqual({ language: 'must be a language code such as ar or en' });
		const list = await call<{ error: { fields?: Record<string, string> } }>(
			h.app,
			'GET',
			'/api/rooms?language=a1'
		);
		expect(list.status).toBe(400);
		expect(Object.keys(list.body.error.fields ?? {})).toContain('language');
	});
});
