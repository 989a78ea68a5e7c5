import { randomBytes } from 'node:crypto';
import {
	ProtectionProfileAeadAes128Gcm,
	ProtectionProfileAes128CmHmacSha1_80,
	RtpHeader,
	RtpPacket,
	SrtpSession,
} from 'werift';
import { describe, expect, test } from 'vitest';
import { createSrtpParameters, deriveSrtpKey, SrtpContext, type SrtpCryptoSuite } from './SrtpContext.js';

const hex = (s: string) => Buffer.from(s, 'hex');

test('key derivation matches RFC 3711 appendix B.3', () => {
	const key = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
	const salt = hex('0EC675AD498AFEEBB6960B3AABE6');
	expect(deriveSrtpKey(key, salt, 0, 16).toString('hex')).toBe('c61e7a93744f39ee10734afe3ff7a087');
	expect(deriveSrtpKey(key, salt, 2, 14).toString('hex')).toBe('30cbbc08863d8c85d49db34a9ae1');
	expect(deriveSrtpKey(key, salt, 1, 20).toString('hex')).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
});

/** An RTP packet with a one-byte extension, built by werift. */
function packet(seq: number, payload: Buffer): { header: RtpHeader; raw: Buffer; headerLength: number } {
	const header = new RtpHeader({
		payloadType: 111,
		sequenceNumber: seq,
		timestamp: 123_456,
		ssrc: 0xcafe_babe,
		marker: true,
		extension: true,
		extensions: [{ id: 10, payload: randomBytes(8) }],
	});
	const raw = new RtpPacket(header, payload).serialize();
	return { header, raw, headerLength: header.serializeSize };
}

const WERIFT_PROFILES = {
	AES_CM_128_HMAC_SHA1_80: ProtectionProfileAes128CmHmacSha1_80,
	AEAD_AES_128_GCM: ProtectionProfileAeadAes128Gcm,
} as const;

describe.each(Object.keys(WERIFT_PROFILES) as (keyof typeof WERIFT_PROFILES)[])(
	'interop with werift, %s',
	(suite) => {
		const params = createSrtpParameters(suite);
		const master = Buffer.from(params.keyBase64, 'base64');
		const keyLength = 16;
		// werift's "remote" keys decrypt, its "local" keys encrypt: give it ours for both directions.
		const werift = () =>
			new SrtpSession({
				profile: WERIFT_PROFILES[suite],
				keys: {
					localMasterKey: master.subarray(0, keyLength),
					localMasterSalt: master.subarray(keyLength),
					remoteMasterKey: master.subarray(0, keyLength),
					remoteMasterSalt: master.subarray(keyLength),
				},
			});

		test('werift decrypts what we protect, across a sequence-number wrap', () => {
			const ours = new SrtpContext(params);
			const theirs = werift();
			let roc = 0;
			for (let i = 0; i < 6; i++) {
				const seq = (65_533 + i) & 0xffff;
				if (seq === 0) {
					roc++;
				}
				const payload = randomBytes(60 + i);
				const { raw, headerLength } = packet(seq, payload);
				const protectedPacket = ours.protectRtp(raw, headerLength, roc);
				expect(protectedPacket.length).toBe(raw.length + ours.overhead);
				expect(protectedPacket.subarray(headerLength, headerLength + payload.length).equals(payload)).toBe(
					false
				);
				expect(theirs.decrypt(protectedPacket).equals(raw)).toBe(true);
			}
		});

		test('we unprotect what werift encrypts, and reject tampering or a wrong ROC', () => {
			const ours = new SrtpContext(params);
			const theirs = werift();
			const payload = randomBytes(80);
			const { header, headerLength } = packet(4242, payload);
			const srtp = theirs.encrypt(payload, header);
			expect(ours.unprotectRtp(srtp, headerLength, 0)?.equals(payload)).toBe(true);
			expect(ours.unprotectRtp(srtp, headerLength, 1)).toBeUndefined();
			const tampered = Buffer.from(srtp);
			tampered[headerLength + 3]! ^= 1;
			expect(ours.unprotectRtp(tampered, headerLength, 0)).toBeUndefined();
			// The header is authenticated too.
			const tamperedHeader = Buffer.from(srtp);
			tamperedHeader[4]! ^= 1;
			expect(ours.unprotectRtp(tamperedHeader, headerLength, 0)).toBeUndefined();
		});
	}
);

test.each<SrtpCryptoSuite>(['AEAD_AES_256_GCM', 'AES_CM_128_HMAC_SHA1_32'])(
	'%s round-trips and rejects another key (interop with libsrtp: forwarding test)',
	(suite) => {
		const params = createSrtpParameters(suite);
		const payload = randomBytes(90);
		const { raw, headerLength } = packet(7, payload);
		const protectedPacket = new SrtpContext(params).protectRtp(raw, headerLength, 3);
		expect(new SrtpContext(params).unprotectRtp(protectedPacket, headerLength, 3)?.equals(payload)).toBe(
			true
		);
		expect(
			new SrtpContext(createSrtpParameters(suite)).unprotectRtp(protectedPacket, headerLength, 3)
		).toBeUndefined();
	}
);

test('rejects keys of the wrong length', () => {
	expect(
		() => new SrtpContext({ cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: randomBytes(30).toString('base64') })
	).toThrow(/must be 44 bytes/);
});
