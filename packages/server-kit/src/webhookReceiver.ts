import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One delivery a {@link WebhookReceiver} got. */
export interface ReceivedWebhook {
	/** Its headers (`majlis-signature` among them). */
	headers: IncomingHttpHeaders;
	/** Its body as text (the event's JSON). */
	body: string;
}

/** A webhook endpoint for tests (the SFU's and the browser suites'): keeps every delivery, answers 200. */
export interface WebhookReceiver {
	/** Where to register it: `http://127.0.0.1:<port>/hook` (loopback: the API must allow private hosts). */
	url: string;
	/** The deliveries so far, in order. */
	received: ReceivedWebhook[];
	/** Stops listening. */
	close(): Promise<void>;
}

/** Starts a {@link WebhookReceiver} on a free loopback port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
	const received: ReceivedWebhook[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.end();
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');

	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/**
 * A receiver's check of a delivery, from the documented format: `majlis-signature` is
 * `t=<unix s>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`, with `t` within 5 minutes of now.
 */
export function webhookSigned(secret: string, delivery: ReceivedWebhook): boolean {
	const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivery.headers['majlis-signature'])) ?? [];
	if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > 300) {
		return false;
	}

	return timingSafeEqual(
		createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest(),
		Buffer.from(v1, 'hex')
	);
}
