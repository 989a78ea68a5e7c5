import { describe, expect, test } from 'vitest';
import {
	diagnoseUpstream,
	diagnoseVoice,
	isPoor,
	type UpstreamCounters,
	type VoiceCounters,
	type VoiceState,
	voiceRates,
} from './diagnosis';

const live: VoiceState = { userId: 'u1', muted: false, hasAudio: true, recentlySpeaking: false };
const link = { transportConnected: true, otherVoiceArriving: false };

function counters(at: number, packetsReceived: number, extra: Partial<VoiceCounters> = {}): VoiceCounters {
	return {
		userId: 'u1',
		at,
		paused: false,
		packetsReceived,
		packetsLost: 0,
		bytesReceived: packetsReceived * 80,
		jitter: 0.004,
		audioLevel: 0.2,
		...extra,
	};
}

describe('voiceRates', () => {
	test('needs two samples in time order', () => {
		expect(voiceRates(undefined, counters(1000, 50))).toBeNull();
		expect(voiceRates(counters(1000, 50), counters(1000, 60))).toBeNull();
	});

	test('turns counters into packets per second, kbps, loss and jitter', () => {
		const rates = voiceRates(counters(0, 0), counters(2000, 90, { packetsLost: 10, jitter: 0.03 }));
		expect(rates).toEqual({ packetsPerSecond: 45, kbps: 28.8, lossPercent: 10, jitterMs: 30, level: 0.2 });
		expect(rates && isPoor(rates)).toBe(true);
	});

	test('a loss count that goes down (late packets) is no negative loss', () => {
		const rates = voiceRates(counters(0, 0, { packetsLost: 5 }), counters(1000, 50, { packetsLost: 3 }));
		expect(rates?.lossPercent).toBe(0);
		expect(rates && isPoor(rates)).toBe(false);
	});
});

describe('diagnoseVoice', () => {
	const flowing = voiceRates(counters(0, 0), counters(1000, 50));
	const silent = voiceRates(counters(0, 50), counters(2000, 50));

	test('packets arriving: receiving', () => {
		expect(diagnoseVoice(live, flowing, counters(1000, 50), link)).toBe('receiving');
	});

	test('a speaker muted at the source is muted, whatever the network does', () => {
		const muted = { ...live, muted: true };
		expect(diagnoseVoice(muted, silent, counters(2000, 50), link)).toBe('muted');
		expect(diagnoseVoice(muted, null, undefined, { ...link, transportConnected: false })).toBe('muted');
	});

	test('unmuted without a stream at the server: not reaching the server', () => {
		expect(diagnoseVoice({ ...live, hasAudio: false }, null, undefined, link)).toBe('notReachingServer');
	});

	test('a paused consumer, a missing one, or a downlink that is down: not reaching you', () => {
		expect(diagnoseVoice(live, silent, counters(2000, 50, { paused: true }), link)).toBe('notReachingYou');
		expect(diagnoseVoice(live, null, undefined, link)).toBe('notReachingYou');
		expect(diagnoseVoice(live, flowing, counters(1000, 50), { ...link, transportConnected: false })).toBe(
			'notReachingYou'
		);
	});

	test('no packets while the server hears them speak: not reaching you', () => {
		const speaking = { ...live, recentlySpeaking: true };
		expect(diagnoseVoice(speaking, silent, counters(2000, 50), { ...link, otherVoiceArriving: true })).toBe(
			'notReachingYou'
		);
	});

	test('no packets while other voices arrive and the server hears nothing: not reaching the server', () => {
		expect(diagnoseVoice(live, silent, counters(2000, 50), { ...link, otherVoiceArriving: true })).toBe(
			'notReachingServer'
		);
	});

	test('one sample only: checking', () => {
		expect(diagnoseVoice(live, null, counters(0, 0), link)).toBe('checking');
	});
});

describe('diagnoseUpstream', () => {
	function up(at: number, packetsSent: number, extra: Partial<UpstreamCounters> = {}): UpstreamCounters {
		return {
			at,
			bytesSent: packetsSent * 100,
			packetsSent,
			packetsLost: 0,
			fractionLost: 0,
			roundTripTime: 0.05,
			paused: false,
			...extra,
		};
	}

	test('sending, with bitrate and round trip', () => {
		expect(diagnoseUpstream(up(0, 0), up(1000, 50))).toEqual({
			verdict: 'sending',
			kbps: 40,
			lossPercent: 0,
			roundTripMs: 50,
			poor: false,
		});
	});

	test('loss from RTCP or a long round trip is poor', () => {
		expect(diagnoseUpstream(up(0, 0), up(1000, 50, { fractionLost: 0.1 })).poor).toBe(true);
		expect(diagnoseUpstream(up(0, 0), up(1000, 50, { roundTripTime: 0.8 })).poor).toBe(true);
	});

	test('muted, not sending, or checking', () => {
		expect(diagnoseUpstream(up(0, 10), up(1000, 10, { paused: true })).verdict).toBe('muted');
		expect(diagnoseUpstream(up(0, 10), up(1000, 10)).verdict).toBe('notSending');
		expect(diagnoseUpstream(undefined, up(1000, 10)).verdict).toBe('checking');
		expect(diagnoseUpstream(undefined, up(1000, 10, { roundTripTime: null })).roundTripMs).toBeNull();
	});
});
