import { describe, expect, test } from 'vitest';
import { hasRelay, iceRemedy, initialIcePolicy, mediaRoute } from './relayFallback';

const TURN = { urls: ['turn:turn.example.org:3478'], username: '1:u', credential: 'c' };

describe('hasRelay()', () => {
	test('true with a turn: or turns: URL, false with none', () => {
		expect(hasRelay([])).toBe(false);
		expect(hasRelay([TURN])).toBe(true);
		expect(hasRelay([{ ...TURN, urls: ['turns:turn.example.org:443?transport=tcp'] }])).toBe(true);
		expect(hasRelay([{ ...TURN, urls: ['stun:stun.example.org'] }])).toBe(false);
	});
});

describe('initialIcePolicy()', () => {
	test('relay-only when chosen or after a fallback, and only when there is a relay', () => {
		expect(initialIcePolicy({ forceRelay: false, fellBack: false, relay: true })).toBe('all');
		expect(initialIcePolicy({ forceRelay: true, fellBack: false, relay: true })).toBe('relay');
		expect(initialIcePolicy({ forceRelay: false, fellBack: true, relay: true })).toBe('relay');
		// Relay-only without a relay could never connect.
		expect(initialIcePolicy({ forceRelay: true, fellBack: true, relay: false })).toBe('all');
	});
});

describe('iceRemedy()', () => {
	const base = { policy: 'all' as const, relay: true, everConnected: false };

	test('a transport that never connected goes relay-only when it fails or is slow, if there is a relay', () => {
		expect(iceRemedy({ ...base, trouble: 'failed' })).toBe('relay');
		expect(iceRemedy({ ...base, trouble: 'slow' })).toBe('relay');
	});

	test('without a relay: restart ICE on failure, keep waiting when slow, rejoin when the restart times out', () => {
		const noRelay = { ...base, relay: false };
		expect(iceRemedy({ ...noRelay, trouble: 'failed' })).toBe('restartIce');
		expect(iceRemedy({ ...noRelay, trouble: 'slow' })).toBe('wait');
		expect(iceRemedy({ ...noRelay, trouble: 'restartTimedOut' })).toBe('rejoin');
	});

	test('a transport that had connected restarts ICE first, and falls back to the relay when that times out', () => {
		const moved = { ...base, everConnected: true };
		expect(iceRemedy({ ...moved, trouble: 'failed' })).toBe('restartIce');
		expect(iceRemedy({ ...moved, trouble: 'slow' })).toBe('wait');
		expect(iceRemedy({ ...moved, trouble: 'restartTimedOut' })).toBe('relay');
	});

	test('already relay-only: no further fallback, the usual restart and rejoin', () => {
		const relayOnly = { ...base, policy: 'relay' as const };
		expect(iceRemedy({ ...relayOnly, trouble: 'failed' })).toBe('restartIce');
		expect(iceRemedy({ ...relayOnly, trouble: 'slow' })).toBe('wait');
		expect(iceRemedy({ ...relayOnly, trouble: 'restartTimedOut' })).toBe('rejoin');
	});
});

describe('mediaRoute()', () => {
	function report(stats: Record<string, unknown>[]): Map<string, Record<string, unknown>> {
		return new Map(stats.map((s) => [String(s.id), s]));
	}
	const relayLocal = { id: 'L1', type: 'local-candidate', candidateType: 'relay' };
	const hostLocal = { id: 'L2', type: 'local-candidate', candidateType: 'host' };

	test('the selected pair of the transport stats decides', () => {
		const stats = [
			relayLocal,
			hostLocal,
			{ id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', state: 'succeeded', nominated: true },
			{ id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', state: 'failed' },
		];
		expect(
			mediaRoute(report([...stats, { id: 'T', type: 'transport', selectedCandidatePairId: 'P1' }]))
		).toBe('relay');
		expect(
			mediaRoute(report([...stats, { id: 'T', type: 'transport', selectedCandidatePairId: 'P2' }]))
		).toBe('direct');
	});

	test('without selectedCandidatePairId: the nominated pair that succeeded', () => {
		expect(
			mediaRoute(
				report([
					hostLocal,
					{ id: 'P2', type: 'candidate-pair', localCandidateId: 'L2', state: 'succeeded', nominated: true },
				])
			)
		).toBe('direct');
	});

	test('null before any pair is selected', () => {
		expect(mediaRoute(report([relayLocal, { id: 'T', type: 'transport' }]))).toBeNull();
		expect(
			mediaRoute(
				report([
					relayLocal,
					{ id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', state: 'in-progress' },
				])
			)
		).toBeNull();
	});
});
