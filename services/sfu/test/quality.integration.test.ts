import { describe, expect, test } from 'vitest';
import { appoint } from './support/faults.js';
import { type Harness, useHarness } from './support/harness.js';

// Connection quality over real sockets (issue #16): listeners' clients report a small summary; the
// room counts the poor ones (judging the figures itself) and tells only staff, batched.
describe('listeners with a poor connection', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test('staff get how many listeners report a poor connection; listeners never do; reports are rate limited', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const sides = await Promise.all(['a', 'b', 'c', 'd'].map(async (n) => h.join(await h.user(n), room.id)));
		const [a, b, c, d] = sides as [
			(typeof sides)[0],
			(typeof sides)[0],
			(typeof sides)[0],
			(typeof sides)[0],
		];
		const hostMark = hostSide.client.mark;
		const dMark = d.client.mark;

		await a.client.request('quality:report', { lossPct: 12, jitterMs: 20, verdict: 'poor' });
		// The server judges again: 30 % loss is poor whatever the client says.
		await b.client.request('quality:report', { lossPct: 30, jitterMs: 10, verdict: 'good' });
		await c.client.request('quality:report', { lossPct: 0.5, jitterMs: 12, verdict: 'good' });
		// The host is on stage, not a listener: not counted.
		await hostSide.client.request('quality:report', { lossPct: 50, jitterMs: 300, verdict: 'poor' });

		expect(
			await hostSide.client.waitFor('quality:poor', (q) => q.reporting === 3, { from: hostMark })
		).toEqual({ count: 2, reporting: 3 });
		// Batched: the first report goes at once, the rest together at the end of the window.
		expect(hostSide.client.all('quality:poor', hostMark).length).toBeLessThanOrEqual(2);

		// Too soon after the last report: refused, and the count is unchanged.
		await expect(
			a.client.request('quality:report', { lossPct: 0, jitterMs: 1, verdict: 'good' })
		).rejects.toMatchObject({ code: 'rate_limited' });

		// Bad figures are refused as bad requests (raw frames), never counted.
		for (const data of [
			{ lossPct: 150, jitterMs: 1, verdict: 'good' },
			{ lossPct: 1, jitterMs: 1, verdict: 'terrible' },
			{ lossPct: 1, jitterMs: 1, verdict: 'poor', role: 'host' },
		]) {
			await expect(
				d.client.sendRaw(JSON.stringify({ id: 901, type: 'quality:report', data }), 901)
			).rejects.toMatchObject({ code: 'bad_request' });
		}

		// A moderator who joins later gets the figures without waiting for a change.
		const mod = await h.user('mod');
		await appoint(h, host, room.id, 'moderators', mod);
		const modSide = await h.join(mod, room.id);
		expect(await modSide.client.waitFor('quality:poor', () => true, { from: 0 })).toEqual({
			count: 2,
			reporting: 3,
		});

		// A listener is never told.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(d.client.all('quality:poor', dMark)).toEqual([]);
		expect(h.problems()).toEqual([]);
	});
});
