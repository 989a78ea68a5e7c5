import {
	type TicketClaims,
	TicketClaimsSchema,
	compile,
	SERVICE_AUDIENCE,
	TICKET_AUDIENCE,
	TICKET_TTL_SECONDS,
} from '@majlis/protocol';
import { errors, jwtVerify, SignJWT } from 'jose';

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

/** Signs and verifies join tickets (API → SFU) and service tokens (SFU → API) with the shared secret. */
export interface TokenService {
	/** Signs a join ticket valid for `ttlSeconds` (default {@link TICKET_TTL_SECONDS}). */
	signTicket(claims: TicketClaims, ttlSeconds?: number): Promise<string>;
	/** Verifies a join ticket; throws {@link TokenError}. */
	verifyTicket(token: string): Promise<TicketClaims>;
	/** Signs a short-lived token naming the calling service (for internal routes). */
	signServiceToken(service: string): Promise<string>;
	/** Verifies a service token and returns the service name; throws {@link TokenError}. */
	verifyServiceToken(token: string): Promise<string>;
}

/** Creates a {@link TokenService} over an HS256 secret (at least 32 bytes). */
export function createTokenService(secret: string): TokenService {
	if (Buffer.byteLength(secret) < 32) {
		throw new TypeError('JWT secret must be at least 32 bytes');
	}
	const key = new TextEncoder().encode(secret);

	async function verify(token: string, audience: string) {
		try {
			const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience, issuer: ISSUER });

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
			return new SignJWT({ ...claims })
				.setProtectedHeader({ alg: 'HS256' })
				.setIssuer(ISSUER)
				.setAudience(TICKET_AUDIENCE)
				.setIssuedAt()
				.setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
				.sign(key);
		},
		async verifyTicket(token) {
			const payload = await verify(token, TICKET_AUDIENCE);
			const claims = {
				sub: payload.sub,
				rid: payload.rid,
				role: payload.role,
				hdl: payload.hdl,
				name: payload.name,
				sg: payload.sg,
				node: payload.node,
				...(payload.org === undefined ? {} : { org: payload.org }),
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
				.sign(key);
		},
		async verifyServiceToken(token) {
			const payload = await verify(token, SERVICE_AUDIENCE);
			if (typeof payload.sub !== 'string') {
				throw new TokenError('invalid', 'service token without subject');
			}

			return payload.sub;
		},
	};
}
