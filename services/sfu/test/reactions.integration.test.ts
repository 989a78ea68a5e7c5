import { REACTION_TICK_MS } from '@majlis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Harness } from './support/harness.js';

// Reactions over real sockets: gathered per tick into one message for everyone, aimed at stage members,
// rate limited per person, and refused when the frame names a reaction outside the fixed set.
describe('reactions', () => {
	let h: Harness;

	beforeAll(async () => {
		h = await Harness.start();
	});

	afterAll(async () => {
		await h?.close();
	});

	test('many reactions in one tick reach everyone as one message with counts, aimed ones per speaker', async () => {
		const host = await h.user('host');
		const a = await h.user('a');
		const b = await h.user('b');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const aSide = await h.join(a, room.id);
		const bSide = await h.join(b, room.id);
		const marks = [hostSide, aSide, bSide].map((s) => s.client.mark);

		await Promise.all([
			aSide.client.request('reaction:send', { reaction: 'heart' }),
			bSide.client.request('reaction:send', { reaction: 'heart', to: host.user.id }),
			bSide.client.request('reaction:send', { reaction: 'clap', to: host.user.id }),
			// Aimed at a listener: counted for the room, not shown on a tile.
			hostSide.client.request('reaction:send', { reaction: 'laugh', to: a.user.id }),
		]);
		for (const [i, side] of [hostSide, aSide, bSide].entries()) {
			const tick = await side.client.waitFor('reactions', () => true, { from: marks[i] });
			expect(tick.counts).toEqual([
				{ reaction: 'heart', count: 2 },
				{ reaction: 'laugh', count: 1 },
				{ reaction: 'clap', count: 1 },
			]);
			expect(tick.aimed).toEqual([
				{
					userId: host.user.id,
					counts: [
						{ reaction: 'heart', count: 1 },
						{ reaction: 'clap', count: 1 },
					],
				},
			]);
		}
		// One message for the tick, however many reacted.
		await new Promise((resolve) => setTimeout(resolve, REACTION_TICK_MS * 2));
		expect(hostSide.client.all('reactions', marks[0])).toHaveLength(1);
		expect(h.problems()).toEqual([]);
	});

	test('a person who reacts too fast is refused with rate_limited; the others are not', async () => {
		const host = await h.user('host');
		const fast = await h.user('fast');
		const room = await h.room(host);
		const hostSide = await h.join(host, room.id);
		const fastSide = await h.join(fast, room.id);
		const codes: string[] = [];
		for (let i = 0; i < 12; i += 1) {
			codes.push(
				await fastSide.client
					.request('reaction:send', { reaction: 'hundred' })
					.then(() => 'ok')
					.catch((error: { code: string }) => error.code)
			);
		}
		expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(8);
		expect(codes).toContain('rate_limited');
		await hostSide.client.request('reaction:send', { reaction: 'raised_hands' });
		expect(h.problems()).toEqual([]);
	});

	test('a reaction outside the fixed set is refused as a bad request (raw frame)', async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const { client } = await h.join(host, room.id);
		await expect(
			client.sendRaw(JSON.stringify({ id: 900, type: 'reaction:send', data: { reaction: 'poop' } }), 900)
		).rejects.toMatchObject({ code: 'bad_request' });
	});
});
