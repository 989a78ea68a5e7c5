import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';

// TRUST_PROXY, read the same way by the API, the launcher and SFU nodes (so the API's rate limits and
// the SFU's per-address socket cap see the same client address).

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

/**
 * Which hops to believe, as proxy-addr takes it: a hop count trusts the nearest `hops` addresses (Fastify
 * 5 ignores bare numbers, failing closed). A count cannot tell a proxy from a client that reaches the
 * port directly, so it suits a server reachable only through its proxy; otherwise list the proxy CIDRs.
 */
export function trustFunction(
	trust: TrustProxy
): boolean | string | ((address: string, hop: number) => boolean) {
	if (typeof trust === 'number') {
		const hops = trust;

		return (_address, hop) => hop < hops;
	}

	return trust;
}

/** The client's address of a request (an HTTP upgrade), through the proxies `trust` believes. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
	const fn = trustFunction(trust);
	if (fn === false) {
		return req.socket.remoteAddress ?? 'unknown';
	}
	const check = fn === true ? () => true : typeof fn === 'string' ? proxyAddr.compile(fn.split(',')) : fn;

	return proxyAddr(req, check);
}
