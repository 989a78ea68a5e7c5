import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
	type TicketClaims,
	TicketClaimsSchema,
	compile,
	SERVICE_AUDIENCE,
	TICKET_AUDIENCE,
	TICKET_TTL_SECONDS,
} from '@majlis/protocol';
import { type CryptoKey, errors, importPKCS8, importSPKI, type JWTPayload, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'majlis';
const claimsChecker = compile(TicketClaimsSchema);

/** Why a token was refused. */
export class TokenError extends Error {
	/** `expired` or `invalid` (forged, malformed, wrong audience). */
	readonly reason: 'expired' | 'invalid';

	/** Creates a token error with its reason. */
	constructor(reason: 'expired' | 'invalid', message: string) {
		super(message);
		this.name = 'TokenError';
		this.reason = reason;
	}
}

/** Signs and verifies join tickets (API → SFU) and service tokens (SFU → API). */
export interface TokenService {
	/** Signs a join ticket valid for `ttlSeconds` (default {@link TICKET_TTL_SECONDS}); only with the private key. */
	signTicket(claims: TicketClaims, ttlSeconds?: number): Promise<string>;
	/** Verifies a join ticket; throws {@link TokenError}. */
	verifyTicket(token: string): Promise<TicketClaims>;
	/** Signs a short-lived token naming the calling service (for internal routes). */
	signServiceToken(service: string): Promise<string>;
	/** Verifies a service token and returns the service name; throws {@link TokenError}. */
	verifyServiceToken(token: string): Promise<string>;
}

/**
 * Separated keys (finding 4 of the security review): tickets are signed with an Ed25519 private key
 * that only the API holds, and SFU nodes verify them with the public key, so a compromised node cannot
 * mint tickets for other nodes, nor user tokens (those use the API's own secret, never given to nodes).
 * Service tokens (SFU → API) use a secret of their own.
 */
export interface TokenKeys {
	/** HS256 secret (≥ 32 bytes) of service tokens, shared by the API and the SFU nodes. */
	serviceSecret: string;
	/** Ed25519 public key (SPKI PEM) tickets are verified with. */
	ticketPublicKey: string;
	/** Ed25519 private key (PKCS#8 PEM) tickets are signed with: the API's alone; omit it on SFU nodes. */
	ticketPrivateKey?: string | undefined;
}

/** A new Ed25519 key pair for tickets, as PEM (the private key PKCS#8, the public key SPKI). */
export function generateTicketKeys(): { privateKey: string; publicKey: string } {
	return generateKeyPairSync('ed25519', {
		privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
		publicKeyEncoding: { type: 'spki', format: 'pem' },
	});
}

function secretKey(secret: string, what: string): Uint8Array {
	if (Buffer.byteLength(secret) < 32) {
		throw new TypeError(`${what} must be at least 32 bytes`);
	}

	return new TextEncoder().encode(secret);
}

/**
 * Creates a {@link TokenService}. With {@link TokenKeys}, tickets are EdDSA (Ed25519) and service tokens
 * HS256 with the service secret. With a bare secret (the older single-secret setup), everything is HS256
 * with it; kept for deployments that have not configured keys yet.
 */
export function createTokenService(keys: string | TokenKeys): TokenService {
	const split = typeof keys !== 'string';
	const serviceKey = secretKey(split ? keys.serviceSecret : keys, split ? 'service secret' : 'JWT secret');
	let ticketAlg: 'HS256' | 'EdDSA' = 'HS256';
	let verifyKey: Promise<Uint8Array | CryptoKey> = Promise.resolve(serviceKey);
	let signKey: Promise<Uint8Array | CryptoKey> | null = verifyKey;
	if (split) {
		ticketAlg = 'EdDSA';
		verifyKey = importSPKI(keys.ticketPublicKey, 'EdDSA');
		signKey = keys.ticketPrivateKey === undefined ? null : importPKCS8(keys.ticketPrivateKey, 'EdDSA');
		// A bad PEM surfaces on first use; keep the rejection from being reported as unhandled before then.
		verifyKey.catch(() => undefined);
		signKey?.catch(() => undefined);
	}

	async function verify(
		token: string,
		audience: string,
		key: Uint8Array | CryptoKey,
		alg: string
	): Promise<JWTPayload> {
		try {
			// The algorithm is pinned per kind: an HS256 token "signed" with the public key is refused.
			const { payload } = await jwtVerify(token, key, { algorithms: [alg], audience, issuer: ISSUER });

			return payload;
		} catch (error) {
			if (error instanceof errors.JWTExpired) {
				throw new TokenError('expired', 'token expired');
			}
			throw new TokenError('invalid', 'token invalid');
		}
	}

	return {
		async signTicket(claims, ttlSeconds = TICKET_TTL_SECONDS) {
			if (signKey === null) {
				throw new TypeError('this process holds only the ticket public key: it cannot sign tickets');
			}

			// A fresh id per ticket, whatever `claims` carried: nodes accept each id once.
			const { jti: _previous, ...rest } = claims;

			return new SignJWT({ ...rest })
				.setProtectedHeader({ alg: ticketAlg })
				.setJti(randomUUID())
				.setIssuer(ISSUER)
				.setAudience(TICKET_AUDIENCE)
				.setIssuedAt()
				.setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
				.sign(await signKey);
		},
		async verifyTicket(token) {
			const payload = await verify(token, TICKET_AUDIENCE, await verifyKey, ticketAlg);
			const claims = {
				sub: payload.sub,
				rid: payload.rid,
				role: payload.role,
				hdl: payload.hdl,
				name: payload.name,
				sg: payload.sg,
				node: payload.node,
				...(payload.org === undefined ? {} : { org: payload.org }),
				...(payload.jti === undefined ? {} : { jti: payload.jti }),
				// An anonymous listener's ticket (reach, issue 14).
				...(payload.anon === undefined ? {} : { anon: payload.anon }),
			};
			if (!claimsChecker.check(claims)) {
				throw new TokenError('invalid', `ticket claims invalid: ${claimsChecker.explain(claims)}`);
			}

			return claims;
		},
		async signServiceToken(service) {
			return new SignJWT({})
				.setProtectedHeader({ alg: 'HS256' })
				.setIssuer(ISSUER)
				.setAudience(SERVICE_AUDIENCE)
				.setSubject(service)
				.setIssuedAt()
				.setExpirationTime('5m')
				.sign(serviceKey);
		},
		async verifyServiceToken(token) {
			const payload = await verify(token, SERVICE_AUDIENCE, serviceKey, 'HS256');
			if (typeof payload.sub !== 'string') {
				throw new TokenError('invalid', 'service token without subject');
			}

			return payload.sub;
		},
	};
}
