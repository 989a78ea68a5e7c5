import { describe, expect, test } from 'vitest';
import { MemoryBus } from './MemoryBus.js';
import { type BusRejection, deriveBusKey, SignedBus } from './SignedBus.js';

const KEY = deriveBusKey('a-cluster-secret-of-at-least-32-bytes');

describe('SignedBus', () => {
	test('a genuine message published again inside the window (a replay) is refused; equal bodies are not', async () => {
		const inner = new MemoryBus();
		const reasons: BusRejection[] = [];
		const bus = new SignedBus(inner, KEY, (_channel, reason) => reasons.push(reason));
		const received: string[] = [];
		await bus.subscribe('majlis:room-events', (m) => received.push(m));
		// What an eavesdropper on Redis captures.
		const captured: string[] = [];
		await inner.subscribe('majlis:room-events', (raw) => captured.push(raw));

		await bus.publish('majlis:room-events', 'promote');
		await bus.publish('majlis:room-events', 'promote');
		await expect.poll(() => received).toEqual(['promote', 'promote']);
		expect(captured[0]).not.toBe(captured[1]);

		await inner.publish('majlis:room-events', captured[0]!);
		await expect.poll(() => reasons).toEqual(['replayed']);
		expect(received).toEqual(['promote', 'promote']);
		expect(bus.rejected).toBe(1);
	});

	test('a replay after the window is refused as stale', async () => {
		let now = 1_000_000;
		const inner = new MemoryBus(() => now);
		const reasons: BusRejection[] = [];
		const bus = new SignedBus(
			inner,
			KEY,
			(_channel, reason) => reasons.push(reason),
			() => now
		);
		const received: string[] = [];
		await bus.subscribe('c', (m) => received.push(m));
		const sealed = bus.seal('c', 'x');
		await inner.publish('c', sealed);
		await expect.poll(() => received).toEqual(['x']);
		now += 61_000;
		// Too old to be taken: stale, whether or not it is remembered.
		await inner.publish('c', sealed);
		await expect.poll(() => reasons).toEqual(['stale']);
	});
});
