import { type Static, Type } from 'typebox';

/**
 * One TURN server and the short-lived credential to use it, as `RTCIceServer` takes it. The credential
 * follows coturn's TURN REST scheme (`use-auth-secret`): `username` is `<expiry unix seconds>:<userId>`
 * and `credential` the base64 HMAC-SHA1 of the username under the secret the API and coturn share.
 */
export const IceServerSchema = Type.Object({
	/** `turn:` and `turns:` URLs of the server (`turns:` is TURN over TLS, usually on port 443). */
	urls: Type.Array(Type.String({ pattern: '^turns?:' }), { minItems: 1 }),
	/** `<expiry>:<userId>`; coturn refuses it after the expiry. */
	username: Type.String({ minLength: 1 }),
	/** base64(HMAC-SHA1(secret, username)). */
	credential: Type.String({ minLength: 1 }),
});
/** One TURN server with its credential. */
export type IceServer = Static<typeof IceServerSchema>;
