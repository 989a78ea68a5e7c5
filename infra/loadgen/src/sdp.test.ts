import type { TransportInfo } from '@majlis/protocol';
import { describe, expect, test } from 'vitest';
import { parseLocalSdp, remoteSdp } from './sdp.js';

const transport: TransportInfo = {
	id: 't1',
	iceParameters: { usernameFragment: 'ufrag1', password: 'pwd1', iceLite: true },
	iceCandidates: [
		{
			foundation: 'udpc',
			priority: 1076302079,
			address: '127.0.0.1',
			protocol: 'udp',
			port: 40001,
			type: 'host',
		},
		{
			foundation: 'tcpc',
			priority: 1076276479,
			address: '127.0.0.1',
			protocol: 'tcp',
			port: 40002,
			type: 'host',
			tcpType: 'passive',
		},
	],
	dtlsParameters: {
		role: 'auto',
		fingerprints: [
			{ algorithm: 'sha-1', value: 'AA:BB' },
			{ algorithm: 'sha-256', value: '01:02:03' },
		],
	},
};

const opus = {
	mimeType: 'audio/opus',
	payloadType: 100,
	clockRate: 48000,
	channels: 2,
	parameters: { minptime: 10, useinbandfec: 1 },
};

describe('remoteSdp', () => {
	test('an ICE-lite offer with BUNDLE, sha-256, one m-section per consumer and its SSRC', () => {
		const sdp = remoteSdp(
			transport,
			[
				{
					mid: '0',
					direction: 'sendonly',
					codec: opus,
					headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
					ssrc: 1234,
					cname: 'speaker',
				},
				{ mid: '1', direction: 'inactive', codec: opus, headerExtensions: [] },
			],
			'actpass',
			'udp',
			3
		);
		const lines = sdp.split('\r\n');
		expect(sdp.endsWith('\r\n')).toBe(true);
		expect(lines).toContain('o=mediasoup 1000 3 IN IP4 0.0.0.0');
		expect(lines).toContain('a=ice-lite');
		expect(lines).toContain('a=group:BUNDLE 0 1');
		expect(lines).toContain('a=fingerprint:sha-256 01:02:03');
		expect(lines.filter((l) => l.startsWith('m=audio'))).toEqual([
			'm=audio 40001 UDP/TLS/RTP/SAVPF 100',
			'm=audio 40001 UDP/TLS/RTP/SAVPF 100',
		]);
		expect(lines).toContain('a=setup:actpass');
		expect(lines).toContain('a=sendonly');
		expect(lines).toContain('a=inactive');
		expect(lines).toContain('a=rtpmap:100 opus/48000/2');
		expect(lines).toContain('a=fmtp:100 minptime=10;useinbandfec=1');
		expect(lines).toContain('a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid');
		expect(lines).toContain('a=ssrc:1234 cname:speaker');
		// Only the UDP candidate, once per m-section.
		expect(lines.filter((l) => l.startsWith('a=candidate:'))).toEqual([
			'a=candidate:udpc 1 udp 1076302079 127.0.0.1 40001 typ host',
			'a=candidate:udpc 1 udp 1076302079 127.0.0.1 40001 typ host',
		]);
	});

	test('the TCP filter keeps the passive TCP candidate; mono codecs have no channel count', () => {
		const sdp = remoteSdp(
			transport,
			[
				{
					mid: 'a',
					direction: 'recvonly',
					codec: { ...opus, channels: 1, parameters: {} },
					headerExtensions: [],
				},
			],
			'passive',
			'tcp'
		);
		expect(sdp).toContain('a=candidate:tcpc 1 tcp 1076276479 127.0.0.1 40002 typ host tcptype passive');
		expect(sdp).not.toContain(' udp ');
		expect(sdp).toContain('a=rtpmap:100 opus/48000\r\n');
		expect(sdp).not.toContain('a=fmtp:');
		expect(sdp).not.toContain('a=ssrc:');
	});
});

describe('parseLocalSdp', () => {
	test('reads fingerprint, setup and per-m-section mid, codecs, extensions, SSRC and CNAME', () => {
		const sdp = [
			'v=0',
			'o=- 1 0 IN IP4 0.0.0.0',
			's=-',
			't=0 0',
			'a=fingerprint:sha-256 AB:CD',
			'm=audio 9 UDP/TLS/RTP/SAVPF 111',
			'a=setup:active',
			'a=mid:0',
			'a=rtpmap:111 OPUS/48000/2',
			'a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid',
			'a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
			'a=ssrc:42 cname:me',
			'a=ssrc:42 msid:x y',
			'm=audio 9 UDP/TLS/RTP/SAVPF 111',
			'a=setup:passive',
			'a=mid:1',
			'a=rtpmap:111 opus/48000/2',
			'',
		].join('\r\n');
		const info = parseLocalSdp(sdp);
		expect(info.fingerprint).toEqual({ algorithm: 'sha-256', value: 'AB:CD' });
		expect(info.setup).toBe('active');
		expect(info.media).toHaveLength(2);
		expect(info.media[0]).toMatchObject({ mid: '0', ssrc: 42, cname: 'me' });
		expect(info.media[0]!.payloadTypes.get('opus')).toBe(111);
		expect(info.media[0]!.extensions.get('urn:ietf:params:rtp-hdrext:ssrc-audio-level')).toBe(2);
		expect(info.media[1]!.mid).toBe('1');
		expect(info.media[1]!.ssrc).toBeUndefined();
	});

	test('a description without a fingerprint is an error', () => {
		expect(() => parseLocalSdp('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n')).toThrow(/fingerprint/);
	});

	test('reads back what remoteSdp writes', () => {
		const info = parseLocalSdp(
			remoteSdp(
				transport,
				[
					{
						mid: '7',
						direction: 'sendonly',
						codec: opus,
						headerExtensions: [{ uri: 'x:y', id: 3 }],
						ssrc: 9,
					},
				],
				'passive'
			)
		);
		expect(info.setup).toBe('passive');
		expect(info.media[0]).toMatchObject({ mid: '7', ssrc: 9, cname: 'mediasoup' });
		expect(info.media[0]!.extensions.get('x:y')).toBe(3);
	});
});
