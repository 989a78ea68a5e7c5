// TURN settings: the relays the API hands out with each join, read from the environment by the standalone
// API (config.ts) and the launcher (services/majlis) alike.

/** The TURN relays and the secret shared with coturn (`static-auth-secret`). */
export interface TurnSettings {
	/** `turn:`/`turns:` URLs of the relays (TURN_URLS). */
	urls: string[];
	/** The secret coturn checks credentials with (TURN_SECRET). */
	secret: string;
	/** How long a credential is valid, in seconds (TURN_TTL_SECONDS). */
	ttlSeconds: number;
}

/** Default credential lifetime: long enough for a long room (ICE restarts reuse it), short enough to be useless when leaked. */
export const DEFAULT_TURN_TTL_SECONDS = 6 * 3600;

// A TURN URI (RFC 7065): scheme, host (name, IPv4 or [IPv6]), optional port, optional ?transport=udp|tcp.
const TURN_URL = /^turns?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\?transport=(udp|tcp))?$/;

/**
 * Reads TURN_URLS (comma-separated `turn:`/`turns:` URLs), TURN_SECRET (at least 16 characters) and
 * TURN_TTL_SECONDS (60 to 604800; default {@link DEFAULT_TURN_TTL_SECONDS}). Undefined when TURN_URLS is
 * unset: no TURN, even with a secret (compose always mounts one; the URLs switch TURN on). Throws a
 * TypeError naming the variable when the values are wrong or incomplete.
 */
export function parseTurn(env: NodeJS.ProcessEnv): TurnSettings | undefined {
	const urls = (env.TURN_URLS ?? '')
		.split(',')
		.map((u) => u.trim())
		.filter(Boolean);
	const secret = env.TURN_SECRET ?? '';
	const ttl = env.TURN_TTL_SECONDS ?? '';
	if (urls.length === 0) {
		return undefined;
	}
	const bad = urls.find((u) => !TURN_URL.test(u));
	if (bad !== undefined) {
		throw new TypeError(`invalid environment: TURN_URLS: "${bad}" is not a turn: or turns: URL`);
	}
	if (secret.length < 16) {
		throw new TypeError(
			'invalid environment: TURN_SECRET (at least 16 characters) is required with TURN_URLS'
		);
	}
	let ttlSeconds = DEFAULT_TURN_TTL_SECONDS;
	if (ttl !== '') {
		ttlSeconds = /^[0-9]{1,7}$/.test(ttl) ? Number(ttl) : 0;
		if (ttlSeconds < 60 || ttlSeconds > 7 * 24 * 3600) {
			throw new TypeError('invalid environment: TURN_TTL_SECONDS must be between 60 and 604800');
		}
	}

	return { urls, secret, ttlSeconds };
}
