import { isIP } from 'node:net';

// Parsers of environment values shared by the standalone API (config.ts) and the launcher
// (services/majlis), so both read TRUST_PROXY and CORS_ORIGINS exactly the same way.

/** What Fastify's `trustProxy` takes from TRUST_PROXY: off, all, a hop count, or addresses/CIDRs. */
export type TrustProxy = boolean | number | string;

// proxy-addr's names for the usual private ranges.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
	if (NAMED_RANGES.has(entry)) {
		return true;
	}
	const [address, prefix, extra] = entry.split('/');
	const family = isIP(address ?? '');
	if (family === 0 || extra !== undefined) {
		return false;
	}
	if (prefix === undefined) {
		return true;
	}
	const bits = /^[0-9]{1,3}$/.test(prefix) ? Number(prefix) : -1;

	return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `false`/unset (default), `true` (trust every hop: only when the proxy is the only way
 * in), a hop count (`1` behind one proxy), or a comma-separated list of proxy addresses and CIDRs
 * (`10.0.0.0/8, 127.0.0.1`, or proxy-addr's `loopback`, `linklocal`, `uniquelocal`). Throws a TypeError
 * naming the variable on anything else.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
	const text = value?.trim() ?? '';
	if (text === '' || text === 'false') {
		return false;
	}
	if (text === 'true') {
		return true;
	}
	if (/^[0-9]{1,2}$/.test(text)) {
		return Number(text);
	}
	const entries = text
		.split(',')
		.map((e) => e.trim())
		.filter((e) => e.length > 0);
	const bad = entries.find((e) => !isAddressOrCidr(e));
	if (entries.length === 0 || bad !== undefined) {
		throw new TypeError(
			`invalid environment: TRUST_PROXY must be true, false, a hop count or a list of addresses/CIDRs (got ${JSON.stringify(bad ?? text)})`
		);
	}

	return entries.join(',');
}

/** CORS_ORIGINS: comma-separated origins (`https://majlis.example`); blanks dropped, each must be an origin. */
export function parseCorsOrigins(value: string | undefined): string[] {
	const origins = (value ?? '')
		.split(',')
		.map((o) => o.trim().replace(/\/$/, ''))
		.filter((o) => o.length > 0);
	for (const origin of origins) {
		let parsed: URL | undefined;
		try {
			parsed = new URL(origin);
		} catch {
			parsed = undefined;
		}
		if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
			throw new TypeError(
				`invalid environment: CORS_ORIGINS entries must be origins like https://majlis.example (got ${JSON.stringify(origin)})`
			);
		}
	}

	return origins;
}
