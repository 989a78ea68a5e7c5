import type { PushPayload, PushSubscriptionBody } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import webpush, { WebPushError } from 'web-push';
import type { DB } from '../../../db/schema.js';
import { ValidationError } from '../../../errors.js';
import type { ApiOptions } from '../../../options.js';
import type { WebPushConfig } from '../../../web-push-config.js';
import { pushAgent, pushEndpointProblem } from './push-endpoint.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Web Push: subscriptions and sending (off without VAPID keys). */
		webPush: WebPushService;
	}
}

/** How long a push service keeps an undelivered message (seconds): a room that started an hour ago is old news. */
const PUSH_TTL_SECONDS = 3600;
const PUSH_TIMEOUT_MS = 5000;

/** One push to make: a subscription and the JSON it carries. */
export interface PushDelivery {
	subscriptionId: string;
	subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
	payload: string;
}

/** Subscriptions in Postgres and RFC 8291/8292 delivery through the `web-push` library. */
export function createWebPush(db: Kysely<DB>, config: WebPushConfig | undefined, ca?: string) {
	const agent = config ? pushAgent(config.allowLoopback, ca ? { ca } : {}) : undefined;

	return {
		/** The VAPID public key browsers subscribe with; null when Web Push is off. */
		publicKey: config?.publicKey ?? null,

		/** Stores (or moves to `userId`) a browser's subscription; 400 with the field when refused. */
		async subscribe(userId: string, body: PushSubscriptionBody): Promise<void> {
			const problem = pushEndpointProblem(body.endpoint, config?.allowLoopback ?? false);
			if (problem) {
				throw new ValidationError({ endpoint: problem });
			}
			// One endpoint is one browser profile: whoever subscribed last on it gets its pushes.
			await db
				.insertInto('push_subscriptions')
				.values({ user_id: userId, endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth })
				.onConflict((c) =>
					c
						.column('endpoint')
						.doUpdateSet({ user_id: userId, p256dh: body.keys.p256dh, auth: body.keys.auth })
				)
				.execute();
		},

		/** Removes `userId`'s subscription at `endpoint` (idempotent). */
		async unsubscribe(userId: string, endpoint: string): Promise<void> {
			await db
				.deleteFrom('push_subscriptions')
				.where('user_id', '=', userId)
				.where('endpoint', '=', endpoint)
				.execute();
		},

		/** The pushes to make: each user's payload on every subscription they have (none when Web Push is off). */
		async prepare(payloads: ReadonlyMap<string, PushPayload>): Promise<PushDelivery[]> {
			if (!config || payloads.size === 0) {
				return [];
			}
			const subscriptions = await db
				.selectFrom('push_subscriptions')
				.select(['id', 'user_id', 'endpoint', 'p256dh', 'auth'])
				.where('user_id', 'in', [...payloads.keys()])
				.execute();

			return subscriptions.map((s) => ({
				subscriptionId: s.id,
				subscription: { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
				payload: JSON.stringify(payloads.get(s.user_id)),
			}));
		},

		/**
		 * Encrypts (RFC 8291, aes128gcm) and sends each push with a VAPID signature (RFC 8292), all at once;
		 * returns how many the push services accepted. Subscriptions they say are gone (404, 410) are deleted.
		 */
		async deliver(deliveries: readonly PushDelivery[], log: FastifyInstance['log']): Promise<number> {
			if (!config || !agent || deliveries.length === 0) {
				return 0;
			}
			const gone: string[] = [];
			const results = await Promise.all(
				deliveries.map(async (d) => {
					if (pushEndpointProblem(d.subscription.endpoint, config.allowLoopback)) {
						return false;
					}
					try {
						await webpush.sendNotification(d.subscription, d.payload, {
							vapidDetails: {
								subject: config.subject,
								publicKey: config.publicKey,
								privateKey: config.privateKey,
							},
							TTL: PUSH_TTL_SECONDS,
							timeout: PUSH_TIMEOUT_MS,
							agent,
						});

						return true;
					} catch (error) {
						if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) {
							gone.push(d.subscriptionId);
						} else {
							log.warn({ err: error }, 'webPush.deliver() | push failed');
						}

						return false;
					}
				})
			);
			if (gone.length > 0) {
				await db.deleteFrom('push_subscriptions').where('id', 'in', gone).execute();
			}

			return results.filter(Boolean).length;
		},

		/** Closes the agent's kept-alive sockets. */
		close(): void {
			agent?.destroy();
		},
	};
}

/** What {@link createWebPush} returns. */
export type WebPushService = ReturnType<typeof createWebPush>;

/** Decorates the app with `webPush`. */
export default fp(
	async function webPushPlugin(app: FastifyInstance, opts: ApiOptions) {
		const service = createWebPush(app.db, opts.webPush, opts.webPushCa);
		app.decorate('webPush', service);
		app.addHook('onClose', async () => service.close());
	},
	{ name: 'web-push', dependencies: ['db'] }
);
