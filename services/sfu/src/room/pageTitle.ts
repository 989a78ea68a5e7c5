import { request } from 'node:https';
import { isPrivateAddress, pinnedLookup, resolvePinned } from '@majlis/server-kit';

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

// The address checks live in server-kit, shared with webhook delivery; re-exported for this module's users.
export { isPrivateAddress };

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
	const pinned = await resolvePinned(url);

	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'GET',
				headers: { accept: 'text/html', 'user-agent': 'Majlis link preview' },
				signal,
				// Connect to the address checked above, whatever DNS answers now.
				lookup: pinnedLookup(pinned),
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
