import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness } from './support/harness.js';

// The pinned link over real sockets: host and co-hosts pin and unpin, everyone sees it (then its page
// title), late joiners ask for it, and only https links pass the server.
describe('pinned link', () => {
	let h: Harness;
	const titles = new Map([['https://example.org/agenda', 'Tonight’s agenda — جدول الليلة']]);

	beforeAll(async () => {
		h = await Harness.start({ fetchPageTitle: async (url) => titles.get(url) ?? null });
	});

	afterAll(async () => {
		await h?.close();
	});

	test('the host pins, everyone sees it and then its page title; listeners cannot pin; unpin clears it', async () => {
		const host = await h.user('host');
		const cohost = await h.user('cohost');
		const listener = await h.user('listener');
		const room = await h.room(host);
		await h.call('PUT', `/api/rooms/${room.id}/cohosts/${cohost.user.id}`, host.token);
		const hostSide = await h.join(host, room.id);
		const cohostSide = await h.join(cohost, room.id);
		const listenerSide = await h.join(listener, room.id);

		expect(await listenerSide.client.refusal('link:pin', { url: 'https://example.org/x' })).toBe('forbidden');
		await expect(
			listenerSide.client.sendRaw(
				JSON.stringify({ id: 700, type: 'link:pin', data: { url: 'http://example.org/' } }),
				700
			)
		).rejects.toMatchObject({ code: 'bad_request' });
		expect(await hostSide.client.refusal('link:pin', { url: 'https://user:pw@example.org/' })).toBe(
			'bad_request'
		);

		const pinned = await hostSide.client.request('link:pin', {
			url: 'https://example.org/agenda',
			title: ' Agenda ',
		});
		expect(pinned).toMatchObject({ url: 'https://example.org/agenda', title: 'Agenda', pageTitle: null });
		expect(await listenerSide.client.waitFor('link:pinned', (d) => d.link?.pageTitle !== null)).toEqual({
			link: { ...pinned, pageTitle: 'Tonight’s agenda — جدول الليلة' },
		});
		const late = await h.join(await h.user('late'), room.id);
		expect((await late.client.request('link:current')).link?.pageTitle).toBe(
			'Tonight’s agenda — جدول الليلة'
		);

		await cohostSide.client.request('link:unpin');
		expect(await listenerSide.client.waitFor('link:pinned', (d) => d.link === null)).toEqual({ link: null });
		expect((await late.client.request('link:current')).link).toBeNull();
		expect(h.problems()).toEqual([]);
	});
});
