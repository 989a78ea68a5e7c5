import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'majlis-signature';
/** Receivers should refuse a signature older (or newer) than this many seconds: a replayed request. */
export const REPLAY_WINDOW_SECONDS = 300;

/** The `Majlis-Signature` value of `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp: number): string {
	const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

	return `t=${timestamp},v1=${mac}`;
}

/**
 * Whether `header` signs `body` with `secret` within the replay window (what a receiver does; see
 * docs/integrations.md). Constant-time comparison, so the check leaks nothing about the expected MAC.
 */
export function verifyWebhook(
	secret: string,
	header: string,
	body: string,
	nowSeconds = Math.floor(Date.now() / 1000)
): boolean {
	const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
	const timestamp = Number(parts.t);
	if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS || !parts.v1) {
		return false;
	}
	const expected = Buffer.from(signWebhook(secret, body, timestamp).split('v1=')[1]!, 'hex');
	const given = Buffer.from(parts.v1, 'hex');

	return given.length === expected.length && timingSafeEqual(given, expected);
}
