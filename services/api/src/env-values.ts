// Parsers of environment values shared by the standalone API (config.ts) and the launcher
// (services/majlis), so both read TRUST_PROXY and CORS_ORIGINS exactly the same way. TRUST_PROXY's lives
// in server-kit: SFU nodes read it too.
export { parseTrustProxy, type TrustProxy } from '@majlis/server-kit';

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

// A CSP source: a keyword, `*`, a scheme (`https:`) or a host source (`https://*.example.com:443`).
const FRAME_SOURCE = /^(\*|'self'|'none'|[a-z][a-z0-9+.-]*:(\/\/(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?)?)$/i;

/**
 * EMBED_FRAME_ANCESTORS: which pages may frame the embeddable player, as CSP `frame-ancestors` sources
 * (space- or comma-separated; default `*`, any site). Anything that is not a source is refused at start,
 * so a typo cannot silently turn into a header browsers ignore.
 */
export function parseFrameAncestors(value: string | undefined): string[] {
	const sources = (value ?? '').split(/[\s,]+/).filter((s) => s.length > 0);
	for (const source of sources) {
		if (!FRAME_SOURCE.test(source)) {
			throw new TypeError(
				`invalid environment: EMBED_FRAME_ANCESTORS entries must be CSP sources like https://blog.example or * (got ${JSON.stringify(source)})`
			);
		}
	}
	if (sources.includes("'none'") && sources.length > 1) {
		throw new TypeError(
			"invalid environment: EMBED_FRAME_ANCESTORS 'none' cannot be combined with other sources"
		);
	}

	return sources.length > 0 ? sources : ['*'];
}
