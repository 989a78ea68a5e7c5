import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Limits of {@link fetchPageTitle}. */
export interface PageTitleLimits {
	/** The whole fetch, redirects included. */
	timeoutMs: number;
	/** Bytes of the page read at most (the title is near the top). */
	maxBytes: number;
	/** Redirects followed at most (each checked like the first URL). */
	maxRedirects: number;
}

const DEFAULT_LIMITS: PageTitleLimits = { timeoutMs: 3000, maxBytes: 64 * 1024, maxRedirects: 3 };

// Addresses a server must never be made to fetch from on a user's behalf: loopback, private, link-local
// (cloud metadata at 169.254.169.254), carrier-grade NAT, unspecified, multicast and reserved ranges.
const PRIVATE = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 3],
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
	['::', 128],
	['::1', 128],
	['64:ff9b::', 96],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
] as const) {
	PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether `address` (an IP) is one the server must not fetch from. */
export function isPrivateAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) {
		return true;
	}
	// An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is.
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
	if (mapped) {
		return PRIVATE.check(mapped, 'ipv4');
	}
	const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
	if (hex) {
		const [hi, lo] = [Number.parseInt(hex[1]!, 16), Number.parseInt(hex[2]!, 16)];

		return PRIVATE.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
	}

	return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The text of the first `<title>` in `html`, entities decoded, white space collapsed; at most 200 characters. */
export function titleOf(html: string): string | null {
	const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
	if (!match?.[1]) {
		return null;
	}
	const text = match[1]
		.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
		.replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
		.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (e) => ENTITIES[e] ?? e)
		.replace(/\s+/g, ' ')
		.trim();

	return text ? [...text].slice(0, 200).join('') : null;
}

const ENTITIES: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'",
	'&apos;': "'",
	'&nbsp;': ' ',
};

/**
 * The title of the https page at `url`, fetched safely on a user's behalf: https only, every address the
 * name resolves to must be public (and the connection goes to the one checked, so DNS cannot change its
 * answer in between), redirects checked the same way, a timeout over the whole fetch and a size cap.
 * Resolves with null whenever any of that fails.
 */
export async function fetchPageTitle(
	url: string,
	limits: Partial<PageTitleLimits> = {}
): Promise<string | null> {
	const { timeoutMs, maxBytes, maxRedirects } = { ...DEFAULT_LIMITS, ...limits };
	const signal = AbortSignal.timeout(timeoutMs);
	let current = url;
	try {
		for (let hop = 0; hop <= maxRedirects; hop++) {
			const result = await fetchOnce(current, maxBytes, signal);
			if (result.kind === 'page') {
				return titleOf(result.html);
			}
			current = new URL(result.location, current).toString();
		}
	} catch {
		return null;
	}

	return null;
}

async function fetchOnce(
	raw: string,
	maxBytes: number,
	signal: AbortSignal
): Promise<{ kind: 'page'; html: string } | { kind: 'redirect'; location: string }> {
	const url = new URL(raw);
	if (url.protocol !== 'https:' || url.username || url.password) {
		throw new Error('only plain https links');
	}
	const host = url.hostname.replace(/^\[|\]$/g, '');
	const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
	if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
		throw new Error('a private address');
	}
	const { address, family } = addresses[0]!;

	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'GET',
				headers: { accept: 'text/html', 'user-agent': 'Majlis link preview' },
				signal,
				// Connect to the address checked above, whatever DNS answers now.
				lookup: (_name, _options, callback) => callback(null, address, family),
			},
			(res) => {
				const status = res.statusCode ?? 0;
				if (status >= 300 && status < 400 && res.headers.location) {
					res.resume();
					resolve({ kind: 'redirect', location: res.headers.location });

					return;
				}
				if (status !== 200 || !/text\/html|application\/xhtml/i.test(res.headers['content-type'] ?? '')) {
					res.resume();
					reject(new Error(`not an html page (${status})`));

					return;
				}
				const chunks: Buffer[] = [];
				let size = 0;
				const done = () => resolve({ kind: 'page', html: Buffer.concat(chunks).toString('utf8') });
				res.on('data', (chunk: Buffer) => {
					chunks.push(chunk);
					size += chunk.length;
					if (size >= maxBytes) {
						res.destroy();
						done();
					}
				});
				res.on('end', done);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end();
	});
}
