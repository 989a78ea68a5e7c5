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
