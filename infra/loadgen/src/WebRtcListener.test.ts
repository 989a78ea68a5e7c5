import { describe, expect, test } from 'vitest';
import { writeNtpTimestamp } from './clock.js';
import { HeaderExtension } from './rtpPacket.js';
import { sendTimeUs, WEBRTC_LISTENER_RTP_CAPABILITIES } from './WebRtcListener.js';

describe('sendTimeUs', () => {
	test('reads the capture time from a forwarded 16-byte abs-capture-time extension', () => {
		const sent = Date.UTC(2026, 10, 22, 12, 0, 0) * 1000 + 123_456;
		// mediasoup forwards the long form: 8 bytes of capture time, 8 of clock offset.
		const payload = Buffer.alloc(16, 0xee);
		writeNtpTimestamp(payload, 0, sent);
		const extensions = [
			{ id: 1, payload: Buffer.from('0') },
			{ id: HeaderExtension.AbsCaptureTime.id, payload },
		];
		expect(Math.abs(sendTimeUs(extensions) - sent)).toBeLessThanOrEqual(1);
	});

	test('NaN without the extension, with another id, or with a short payload', () => {
		const payload = Buffer.alloc(8);
		writeNtpTimestamp(payload, 0, 1e15);
		expect(sendTimeUs([])).toBeNaN();
		expect(sendTimeUs([{ id: 3, payload }])).toBeNaN();
		expect(sendTimeUs([{ id: 10, payload: Buffer.alloc(4) }])).toBeNaN();
		expect(sendTimeUs([{ id: 3, payload }], 3)).toBeCloseTo(1e15, -1);
	});
});

describe('WEBRTC_LISTENER_RTP_CAPABILITIES', () => {
	test('asks for mid, audio level and abs-capture-time with mediasoup’s ids', () => {
		expect(WEBRTC_LISTENER_RTP_CAPABILITIES.headerExtensions.map((e) => [e.uri, e.preferredId])).toEqual([
			['urn:ietf:params:rtp-hdrext:sdes:mid', 1],
			['urn:ietf:params:rtp-hdrext:ssrc-audio-level', 6],
			['http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time', 10],
		]);
	});
});
