import { REACTION_TICK_MS } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { type Harness, useHarness } from './support/harness.js';

// Reactions over real sockets: gathered per tick into one message for everyone, aimed at stage members,
// rate limited per person, and refused when the frame names a reaction outside the fixed set.
describe('reactions', () => {
	let h: Harness;
	useHarness((started) => {
		h = started;
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

// The bench phase (infra/loadgen/src/bench/phases/reactions.ts) runs 1,000 sockets; this is the same
// check at a size the test machine takes in seconds.
describe('reactions at scale', () => {
	const SOCKETS = 150;
	const SECONDS = 3;
	let h: Harness;
	useHarness((started) => {
		h = started;
	});

	test(`${SOCKETS} people reacting once a second: ≤ 5 reaction messages a second each, send → receipt within a tick`, async () => {
		const host = await h.user('host');
		const room = await h.room(host);
		const sides = [];
		for (let i = 0; i < SOCKETS; i += 25) {
			const batch = await Promise.all(
				Array.from({ length: Math.min(25, SOCKETS - i) }, async (_, j) =>
					h.join(await h.user(`r${i + j}`), room.id)
				)
			);
			sides.push(...batch);
		}
		const latencies: number[] = [];
		let maxPerSecond = 0;
		const armed = new Map<number, number>();
		sides.forEach((side, i) => {
			let second = -1;
			let count = 0;
			side.client.onNotification((n) => {
				if (n.type !== 'reactions') {
					return;
				}
				const now = performance.now();
				const current = Math.floor(now / 1000);
				count = current === second ? count + 1 : 1;
				second = current;
				maxPerSecond = Math.max(maxPerSecond, count);
				const at = armed.get(i);
				if (at !== undefined) {
					latencies.push(now - at);
					armed.delete(i);
				}
			});
		});
		const started = performance.now();
		await Promise.all(
			sides.map(async (side, i) => {
				for (let s = 0; s < SECONDS; s++) {
					const due = started + (i / sides.length) * 1000 + s * 1000;
					await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
					const at = performance.now();
					await side.client.request('reaction:send', { reaction: 'clap' });
					armed.set(i, at);
				}
			})
		);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		latencies.sort((a, b) => a - b);
		const quantile = (q: number) =>
			latencies[Math.ceil(q * latencies.length) - 1] ?? Number.POSITIVE_INFINITY;
		expect(latencies.length).toBeGreaterThanOrEqual(SOCKETS * SECONDS * 0.95);
		expect(maxPerSecond).toBeLessThanOrEqual(5);
		// The bench holds p99 to 300 ms on its own cores; here other test files share the machine's cores,
		// so the tail gets room while the bulk must still arrive within a tick and its delivery.
		expect(quantile(0.9)).toBeLessThanOrEqual(300);
		expect(quantile(0.99)).toBeLessThanOrEqual(600);
	}, 120_000);
});
