import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, resolvePinned, UnsafeAddressError } from '@majlis/server-kit';

/** The outcome of one delivery attempt. */
export interface AttemptResult {
	/** HTTP status, or null when there was no answer. */
	status: number | null;
	/** Time from the start to the answer (or the failure). */
	ms: number;
	/** Why there was no 2xx (null when delivered). */
	error: string | null;
}

/**
 * Checks a webhook URL as given by a user: https (plain http only with `allowPrivate`), no credentials in
 * it, and a host whose every address is public (unless `allowPrivate`). Returns the problem, or null.
 */
export async function webhookUrlProblem(raw: string, allowPrivate: boolean): Promise<string | null> {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return 'must be a URL';
	}
	if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
		return 'must be an https URL';
	}
	if (url.username || url.password) {
		return 'must not contain credentials';
	}
	try {
		await resolvePinned(url, { allowPrivate });
	} catch (error) {
		return error instanceof UnsafeAddressError ? error.message : 'cannot be checked';
	}

	return null;
}

/**
 * POSTs `body` to `url`, connecting to the address checked at this moment (DNS cannot point the name at a
 * private address between the check and the connection); no redirects are followed. Never throws.
 */
export async function postWebhook(
	rawUrl: string,
	body: string,
	headers: Record<string, string>,
	options: { allowPrivate: boolean; timeoutMs: number; signal?: AbortSignal }
): Promise<AttemptResult> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	try {
		const url = new URL(rawUrl);
		if (url.protocol !== 'https:' && !(options.allowPrivate && url.protocol === 'http:')) {
			return { status: null, ms: 0, error: 'not an https URL' };
		}
		const pinned = await resolvePinned(url, { allowPrivate: options.allowPrivate });
		const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const status = await new Promise<number>((resolve, reject) => {
			const req = request(
				url,
				{
					method: 'POST',
					headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
					signal: options.signal
						? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
						: AbortSignal.timeout(options.timeoutMs),
					lookup: pinnedLookup(pinned),
				},
				(res) => {
					// Only the status matters; the body is drained so the socket is freed.
					res.resume();
					resolve(res.statusCode ?? 0);
				}
			);
			req.on('error', reject);
			req.end(body);
		});
		const ok = status >= 200 && status < 300;

		return { status, ms: elapsed(), error: ok ? null : `HTTP ${status}` };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);

		return { status: null, ms: elapsed(), error: message.slice(0, 200) };
	}
}
