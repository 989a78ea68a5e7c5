import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { postWebhook } from './webhook-sender.js';
import { retryDelayMs } from './webhook-settings.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

/** Deliveries one node claims per pass. */
const BATCH = 20;
/** A claimed delivery is due again after this long if its node dies mid-attempt (seconds). */
const LEASE_SECONDS = 120;

interface Claimed {
	id: string;
	event: string;
	payload: string;
	attempts: number;
	created_at: Date;
	url: string;
	secret: string;
}

/**
 * The delivery loop of every API node: claims due rows with `FOR UPDATE SKIP LOCKED` (so nodes never send
 * the same row at once, and none waits for another), pushing their next attempt a lease ahead in the same
 * statement (a node that dies mid-attempt leaves them due again later), then POSTs each signed body and
 * records the outcome: delivered on 2xx, else retried with exponential backoff until a day has passed.
 */
export default fp(
	async function webhookWorker(app: FastifyInstance) {
		const { db, webhooks } = app;
		const { settings } = webhooks;
		let timer: NodeJS.Timeout | undefined;
		let running: Promise<void> | null = null;
		let again = false;
		let closed = false;
		// Aborts attempts in flight when the app closes: they stay pending and are retried (here or elsewhere).
		const stopping = new AbortController();

		async function claim(): Promise<Claimed[]> {
			const result = await sql<Claimed>`
				update webhook_deliveries d
				set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS})
				from webhooks w
				where w.id = d.webhook_id and d.id in (
					select id from webhook_deliveries
					where state = 'pending' and next_attempt_at <= now()
					order by next_attempt_at
					limit ${BATCH}
					for update skip locked
				)
				returning d.id, d.event, d.payload, d.attempts, d.created_at, w.url, w.secret`.execute(db);

			return result.rows;
		}

		async function deliver(row: Claimed): Promise<void> {
			const timestamp = Math.floor(Date.now() / 1000);
			const result = await postWebhook(
				row.url,
				row.payload,
				{
					'content-type': 'application/json',
					'user-agent': 'Majlis-Webhooks/1',
					'majlis-event': row.event,
					'majlis-delivery': row.id,
					[SIGNATURE_HEADER]: signWebhook(row.secret, row.payload, timestamp),
				},
				{ allowPrivate: settings.allowPrivate, timeoutMs: settings.timeoutMs, signal: stopping.signal }
			);
			const delivered = result.error === null;
			const next = new Date(Date.now() + retryDelayMs(settings, row.attempts));
			const expired = next.getTime() - row.created_at.getTime() > settings.maxAgeMs;
			await db
				.updateTable('webhook_deliveries')
				.set({
					state: delivered ? 'delivered' : expired ? 'failed' : 'pending',
					last_status: result.status,
					last_response_ms: result.ms,
					last_error: result.error,
					next_attempt_at: delivered || expired ? null : next,
					delivered_at: delivered ? new Date() : null,
				})
				.where('id', '=', row.id)
				.execute();
			app.log.info(
				{ delivery: row.id, event: row.event, attempt: row.attempts, status: result.status, ms: result.ms },
				delivered ? 'webhooks | delivered' : 'webhooks | attempt failed'
			);
		}

		async function pass(): Promise<void> {
			do {
				again = false;
				const rows = await claim();
				await Promise.all(rows.map(deliver));
				// A full batch suggests more are due now.
				again ||= rows.length === BATCH;
			} while (again && !closed);
		}

		/** Runs a pass now, or right after the one in progress. */
		function poke(): void {
			if (closed) {
				return;
			}
			if (running) {
				again = true;

				return;
			}
			running = pass()
				.catch((error: unknown) => app.log.error({ err: error }, 'webhooks | delivery pass failed'))
				.finally(() => {
					running = null;
				});
		}

		webhooks.setOnQueued(poke);
		app.addHook('onReady', async () => {
			timer = setInterval(poke, settings.pollMs);
			timer.unref();
			poke();
		});
		app.addHook('onClose', async () => {
			closed = true;
			clearInterval(timer);
			stopping.abort();
			await running;
		});
	},
	{ name: 'webhook-worker', dependencies: ['db', 'webhooks'] }
);
