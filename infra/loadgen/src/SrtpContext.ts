import {
	type CipherGCMTypes,
	createCipheriv,
	createDecipheriv,
	createHmac,
	randomBytes,
	timingSafeEqual,
} from 'node:crypto';
import type { types as mediasoupTypes } from 'mediasoup';

// SRTP (RFC 3711, RFC 7714) for RTP packets, with Node's OpenSSL. werift's SrtpSession does SRTP too, but
// only AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (not mediasoup's AEAD_AES_256_GCM), and it reparses and
// reserializes the header per packet; here the caller already knows the header length, and the only
// per-packet objects are OpenSSL's cipher and the output buffer. Tests check it against werift and
// mediasoup (libsrtp). RTCP is not handled: the load generator only needs to skip it.

/** mediasoup's SRTP crypto suite names. */
export type SrtpCryptoSuite = mediasoupTypes.SrtpCryptoSuite;

/** mediasoup's `{ cryptoSuite, keyBase64 }` (master key followed by master salt). */
export type SrtpParameters = mediasoupTypes.SrtpParameters;

type Suite = { keyLength: number; saltLength: number; gcm: boolean; tagLength: number };

const SUITES: Record<SrtpCryptoSuite, Suite> = {
	AES_CM_128_HMAC_SHA1_80: { keyLength: 16, saltLength: 14, gcm: false, tagLength: 10 },
	AES_CM_128_HMAC_SHA1_32: { keyLength: 16, saltLength: 14, gcm: false, tagLength: 4 },
	AEAD_AES_128_GCM: { keyLength: 16, saltLength: 12, gcm: true, tagLength: 16 },
	AEAD_AES_256_GCM: { keyLength: 32, saltLength: 12, gcm: true, tagLength: 16 },
};

// RFC 3711 §4.3.2 key derivation labels for SRTP (RTCP uses 3..5).
const LABEL_KEY = 0;
const LABEL_AUTH = 1;
const LABEL_SALT = 2;

/** Random SRTP parameters for a suite (what the other side of a mediasoup PlainTransport must be given). */
export function createSrtpParameters(cryptoSuite: SrtpCryptoSuite): SrtpParameters {
	const suite = SUITES[cryptoSuite];
	return { cryptoSuite, keyBase64: randomBytes(suite.keyLength + suite.saltLength).toString('base64') };
}

/**
 * AES-CM PRF (RFC 3711 §4.3.3), also used by the GCM suites with the 12-byte salt zero-padded (RFC 7714 §11).
 * @internal exported for the RFC test vectors.
 */
export function deriveSrtpKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
	const iv = Buffer.alloc(16);
	masterSalt.copy(iv, 0);
	iv[7]! ^= label;
	const cipher = createCipheriv(masterKey.length === 32 ? 'aes-256-ctr' : 'aes-128-ctr', masterKey, iv);
	return cipher.update(Buffer.alloc(length));
}

/** One direction's SRTP session keys; protects or unprotects RTP packets of any SSRC. */
export class SrtpContext {
	readonly #suite: Suite;
	readonly #algorithm: string;
	readonly #key: Buffer;
	readonly #salt: Buffer;
	readonly #authKey: Buffer;
	readonly #iv: Buffer;

	constructor(parameters: SrtpParameters) {
		const suite = SUITES[parameters.cryptoSuite];
		if (!suite) {
			throw new TypeError(`unsupported SRTP crypto suite ${parameters.cryptoSuite}`);
		}
		const master = Buffer.from(parameters.keyBase64, 'base64');
		if (master.length !== suite.keyLength + suite.saltLength) {
			throw new TypeError(
				`SRTP key for ${parameters.cryptoSuite} must be ${suite.keyLength + suite.saltLength} bytes`
			);
		}
		const masterKey = master.subarray(0, suite.keyLength);
		const masterSalt = master.subarray(suite.keyLength);
		this.#suite = suite;
		this.#algorithm = `aes-${suite.keyLength * 8}-${suite.gcm ? 'gcm' : 'ctr'}`;
		this.#key = deriveSrtpKey(masterKey, masterSalt, LABEL_KEY, suite.keyLength);
		this.#salt = deriveSrtpKey(masterKey, masterSalt, LABEL_SALT, suite.saltLength);
		this.#authKey = suite.gcm ? Buffer.alloc(0) : deriveSrtpKey(masterKey, masterSalt, LABEL_AUTH, 20);
		this.#iv = Buffer.alloc(suite.gcm ? 12 : 16);
	}

	/** Bytes SRTP adds after the payload (the authentication tag). */
	get overhead(): number {
		return this.#suite.tagLength;
	}

	/** Encrypts an RTP packet whose header is `headerLength` bytes; returns a new buffer. */
	protectRtp(packet: Buffer, headerLength: number, roc: number): Buffer {
		const tagLength = this.#suite.tagLength;
		const out = Buffer.allocUnsafe(packet.length + tagLength);
		packet.copy(out, 0, 0, headerLength);
		const iv = this.#ivFor(packet, roc);
		const payload = packet.subarray(headerLength);
		const end = headerLength + payload.length;
		if (this.#suite.gcm) {
			const cipher = createCipheriv(this.#algorithm as CipherGCMTypes, this.#key, iv);
			cipher.setAAD(packet.subarray(0, headerLength));
			cipher.update(payload).copy(out, headerLength);
			cipher.final();
			cipher.getAuthTag().copy(out, end);
		} else {
			// CTR is a stream cipher: update() returns every byte and final() nothing.
			createCipheriv(this.#algorithm, this.#key, iv).update(payload).copy(out, headerLength);
			this.#hmac(out.subarray(0, end), roc).copy(out, end, 0, tagLength);
		}
		return out;
	}

	/** Authenticates and decrypts an SRTP packet; returns its plain payload, or undefined if it is not authentic. */
	unprotectRtp(packet: Buffer, headerLength: number, roc: number): Buffer | undefined {
		const tagLength = this.#suite.tagLength;
		const end = packet.length - tagLength;
		if (end < headerLength) {
			return undefined;
		}
		const tag = packet.subarray(end);
		const iv = this.#ivFor(packet, roc);
		const encrypted = packet.subarray(headerLength, end);
		if (!this.#suite.gcm) {
			if (!timingSafeEqual(this.#hmac(packet.subarray(0, end), roc).subarray(0, tagLength), tag)) {
				return undefined;
			}
			return createDecipheriv(this.#algorithm, this.#key, iv).update(encrypted);
		}
		const decipher = createDecipheriv(this.#algorithm as CipherGCMTypes, this.#key, iv);
		decipher.setAAD(packet.subarray(0, headerLength));
		decipher.setAuthTag(tag);
		const payload = decipher.update(encrypted);
		try {
			decipher.final();
		} catch {
			return undefined;
		}
		return payload;
	}

	#hmac(authenticated: Buffer, roc: number): Buffer {
		const rocBytes = Buffer.allocUnsafe(4);
		rocBytes.writeUInt32BE(roc >>> 0);
		return createHmac('sha1', this.#authKey).update(authenticated).update(rocBytes).digest();
	}

	// AES-CM (RFC 3711 §4.1.1): salt·2^16 ⊕ SSRC·2^64 ⊕ index·2^16. GCM (RFC 7714 §8.1): 00 00 ‖ SSRC ‖ ROC ‖ SEQ ⊕ salt.
	// createCipheriv copies the IV, so one scratch buffer serves every packet.
	#ivFor(packet: Buffer, roc: number): Buffer {
		const iv = this.#iv;
		iv.fill(0);
		const at = this.#suite.gcm ? 2 : 4;
		packet.copy(iv, at, 8, 12);
		iv.writeUInt32BE(roc >>> 0, at + 4);
		packet.copy(iv, at + 8, 2, 4);
		for (let i = 0; i < this.#salt.length; i++) {
			iv[i]! ^= this.#salt[i]!;
		}
		return iv;
	}
}
