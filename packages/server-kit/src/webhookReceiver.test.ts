import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { startWebhookReceiver, webhookSigned } from './webhookReceiver.js';

describe('webhook receiver', () => {
	test('keeps each delivery; the signature check takes the right secret and body, and a fresh time only', async () => {
		const receiver = await startWebhookReceiver();
		try {
			const body = JSON.stringify({ type: 'ping' });
			const t = Math.floor(Date.now() / 1000);
			const v1 = createHmac('sha256', 'north-wind').update(`${t}.${body}`).digest('hex');
			const response = await fetch(receiver.url, {
				method: 'POST',
				headers: { 'majlis-signature': `t=${t},v1=${v1}` },
				body,
			});
			expect(response.status).toBe(200);
			expect(receiver.received.map((r) => r.body)).toEqual([body]);
			const [delivery] = receiver.received;
			expect(webhookSigned('north-wind', delivery!)).toBe(true);
			expect(webhookSigned('south-wind', delivery!)).toBe(false);
			expect(webhookSigned('north-wind', { ...delivery!, body: `${body} ` })).toBe(false);
			const stale = createHmac('sha256', 'north-wind')
				.update(`${t - 600}.${body}`)
				.digest('hex');
			expect(
				webhookSigned('north-wind', { headers: { 'majlis-signature': `t=${t - 600},v1=${stale}` }, body })
			).toBe(false);
		} finally {
			await receiver.close();
		}
	});
});
