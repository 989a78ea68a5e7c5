import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../test/support/ManualClock.js';
import { DEFAULT_SOCKET_LIMITS, SocketLimiter, UNLIMITED_SOCKET_LIMITS } from './socketLimits.js';

describe('SocketLimiter', () => {
	test('a burst passes, the next frame is refused, tokens come back at the sustained rate', () => {
		const clock = new ManualClock();
		const limiter = new SocketLimiter(DEFAULT_SOCKET_LIMITS, clock);
		const burst = Array.from({ length: DEFAULT_SOCKET_LIMITS.burst }, () => limiter.admit());
		expect(burst.every((a) => a === 'ok')).toBe(true);
		expect(limiter.admit()).toBe('refuse');
		clock.advance(1000 / DEFAULT_SOCKET_LIMITS.ratePerSecond);
		expect(limiter.admit()).toBe('ok');
		expect(limiter.admit()).toBe('refuse');
	});

	test('sustained flooding ends in close; refusals older than the window are forgotten', () => {
		const clock = new ManualClock();
		const limits = {
			...DEFAULT_SOCKET_LIMITS,
			burst: 1,
			ratePerSecond: 1,
			abuseThreshold: 5,
			abuseWindowMs: 1000,
		};
		const limiter = new SocketLimiter(limits, clock);
		expect(limiter.admit()).toBe('ok');
		expect([1, 2, 3, 4].map(() => limiter.admit())).toEqual(['refuse', 'refuse', 'refuse', 'refuse']);
		clock.advance(1001);
		// The token that came back is used; the old refusals no longer count.
		expect(limiter.admit()).toBe('ok');
		expect([1, 2, 3, 4].map(() => limiter.admit())).toEqual(['refuse', 'refuse', 'refuse', 'refuse']);
		expect(limiter.admit()).toBe('close');
	});

	test('hand: lowering is always allowed; raising again is refused until the interval has passed', () => {
		const clock = new ManualClock();
		const limiter = new SocketLimiter(DEFAULT_SOCKET_LIMITS, clock);
		expect(limiter.handChangeAllowed('raise')).toBe(true);
		limiter.recordHandChange('raise');
		expect(limiter.handChangeAllowed('raise')).toBe(true);
		expect(limiter.handChangeAllowed('lower')).toBe(true);
		limiter.recordHandChange('lower');
		expect(limiter.handChangeAllowed('lower')).toBe(true);
		clock.advance(DEFAULT_SOCKET_LIMITS.handIntervalMs - 1);
		expect(limiter.handChangeAllowed('raise')).toBe(false);
		clock.advance(1);
		expect(limiter.handChangeAllowed('raise')).toBe(true);
	});

	test('bytes have their own bucket: a large frame waits for its bytes even with frame tokens left', () => {
		const clock = new ManualClock();
		const limits = { ...DEFAULT_SOCKET_LIMITS, bytesPerSecond: 1000, byteBurst: 3000 };
		const limiter = new SocketLimiter(limits, clock);
		expect([limiter.admit(2000), limiter.admit(1000), limiter.admit(1)]).toEqual(['ok', 'ok', 'refuse']);
		clock.advance(500);
		expect([limiter.admit(600), limiter.admit(500)]).toEqual(['refuse', 'ok']);
	});

	test('the unlimited setting never refuses', () => {
		const limiter = new SocketLimiter(UNLIMITED_SOCKET_LIMITS, new ManualClock());
		expect(Array.from({ length: 10_000 }, () => limiter.admit(65_536)).every((a) => a === 'ok')).toBe(true);
		limiter.recordHandChange('lower');
		expect(limiter.handChangeAllowed('raise')).toBe(true);
	});
});
