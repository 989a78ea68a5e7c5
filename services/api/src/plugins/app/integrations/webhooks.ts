import { randomBytes, randomUUID } from 'node:crypto';
import type { Webhook, WebhookDelivery, WebhookEvent } from '@majlis/protocol';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, type Selectable, sql } from 'kysely';
import { found } from '../../../db/found.js';
import type { DB, WebhookDeliveriesTable, WebhooksTable } from '../../../db/schema.js';
import type { ApiOptions } from '../../../options.js';
import { loadRoomSnapshot, type RoomSnapshot } from '../rooms/room-snapshot.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Webhook endpoints and their delivery queue. */
		webhooks: Webhooks;
	}
}

/** The test event "send test event" queues; it is not subscribable. */
export const PING_EVENT = 'ping';

function toWebhook(row: Selectable<WebhooksTable>): Webhook {
	return {
		id: row.id,
		url: row.url,
		events: row.events as WebhookEvent[],
		scope: row.scope,
		createdAt: row.created_at.toISOString(),
	};
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
	return {
		id: row.id,
		event: row.event,
		state: row.state,
		attempts: row.attempts,
		lastStatus: row.last_status,
		lastResponseMs: row.last_response_ms,
		lastError: row.last_error,
		createdAt: row.created_at.toISOString(),
		nextAttemptAt: row.state === 'pending' ? (row.next_attempt_at?.toISOString() ?? null) : null,
	};
}

/** Hears a room event that webhooks are emitted for, with the room as it is now. */
export type RoomEventListener = (event: WebhookEvent, room: RoomSnapshot) => Promise<void>;

/** Webhooks over kysely: endpoints, and events queued as `webhook_deliveries` rows (the worker sends them). */
export function createWebhooks(db: Kysely<DB>, settings: WebhookSettings, log: FastifyBaseLogger) {
	/** Called after rows are queued, so a worker can send them now rather than at its next poll. */
	let onQueued: () => void = () => {};
	const listeners: RoomEventListener[] = [];

	async function queue(rows: { webhookId: string; event: string; payload: string }[]): Promise<string[]> {
		if (rows.length === 0) {
			return [];
		}
		const now = new Date();
		const inserted = await db
			.insertInto('webhook_deliveries')
			.values(
				rows.map((r) => ({
					webhook_id: r.webhookId,
					event: r.event,
					payload: r.payload,
					next_attempt_at: now,
				}))
			)
			.returning('id')
			.execute();
		onQueued();

		return inserted.map((r) => r.id);
	}

	function body(event: string, data: unknown): string {
		return JSON.stringify({ id: randomUUID(), type: event, createdAt: new Date().toISOString(), data });
	}

	return {
		settings,

		/** A new endpoint; its signing secret is returned once (the owner keeps it to check signatures). */
		async create(values: {
			ownerId: string;
			url: string;
			events: WebhookEvent[];
			scope: 'own' | 'all';
		}): Promise<{ secret: string; webhook: Webhook }> {
			const secret = `whsec_${randomBytes(32).toString('base64url')}`;
			const row = await db
				.insertInto('webhooks')
				.values({
					owner_id: values.ownerId,
					url: values.url,
					secret,
					events: values.events,
					scope: values.scope,
				})
				.returningAll()
				.executeTakeFirstOrThrow();

			return { secret, webhook: toWebhook(row) };
		},

		/** The endpoints of `ownerId`, oldest first. */
		async list(ownerId: string): Promise<Webhook[]> {
			const rows = await db
				.selectFrom('webhooks')
				.selectAll()
				.where('owner_id', '=', ownerId)
				.orderBy('created_at')
				.execute();

			return rows.map(toWebhook);
		},

		/** Whether endpoint `id` is `ownerId`'s. */
		async owns(ownerId: string, id: string): Promise<boolean> {
			return found(
				db.selectFrom('webhooks').select('id').where('id', '=', id).where('owner_id', '=', ownerId)
			);
		},

		/** Deletes endpoint `id` of `ownerId` with its queue; false when there is none. */
		async remove(ownerId: string, id: string): Promise<boolean> {
			const result = await db
				.deleteFrom('webhooks')
				.where('id', '=', id)
				.where('owner_id', '=', ownerId)
				.executeTakeFirst();

			return result.numDeletedRows > 0n;
		},

		/** The last `limit` deliveries of endpoint `id`, newest first. */
		async deliveries(id: string, limit = 50): Promise<WebhookDelivery[]> {
			const rows = await db
				.selectFrom('webhook_deliveries')
				.selectAll()
				.where('webhook_id', '=', id)
				.orderBy('created_at', 'desc')
				.limit(limit)
				.execute();

			return rows.map(toDelivery);
		},

		/** Queues a `ping` to endpoint `id` ("send test event"); returns the delivery's id. */
		async ping(id: string): Promise<string> {
			const [deliveryId] = await queue([
				{ webhookId: id, event: PING_EVENT, payload: body(PING_EVENT, { webhookId: id }) },
			]);

			return deliveryId!;
		},

		/**
		 * Queues `event` of room `roomId` for every endpoint subscribed to it: its host's, and deployment-wide
		 * ones (`all`). A failure is logged, not thrown: the room change is committed and the caller answers.
		 */
		async emit(event: WebhookEvent, roomId: string, extra: Record<string, unknown> = {}): Promise<void> {
			try {
				const room = await loadRoomSnapshot(db, roomId);
				if (!room) {
					return;
				}
				// The same events reach the deployment's own listeners (federation), each on its own.
				for (const listener of listeners) {
					await listener(event, room).catch((error: unknown) =>
						log.error({ err: error, event, roomId }, 'webhooks.emit() | listener failed')
					);
				}
				const hooks = await db
					.selectFrom('webhooks')
					.select('id')
					.where((eb) => eb.or([eb('scope', '=', 'all'), eb('owner_id', '=', room.host_id)]))
					.where(sql<boolean>`${event} = any(events)`)
					.execute();
				if (hooks.length === 0) {
					return;
				}
				const payload = body(event, {
					room: {
						id: room.id,
						title: room.title,
						visibility: room.visibility,
						state: room.state,
						path: `/rooms/${room.id}`,
						scheduledFor: room.scheduled_for?.toISOString() ?? null,
						startedAt: room.started_at?.toISOString() ?? null,
						endedAt: room.ended_at?.toISOString() ?? null,
						host: { id: room.host_id, handle: room.handle, displayName: room.display_name },
					},
					...extra,
				});
				await queue(hooks.map((h) => ({ webhookId: h.id, event, payload })));
			} catch (error) {
				log.error({ err: error, event, roomId }, 'webhooks.emit() | not queued');
			}
		},

		/** Adds a listener every emitted room event also reaches (after the change is committed). */
		onRoomEvent(listener: RoomEventListener): void {
			listeners.push(listener);
		},

		/** Sets what runs when rows are queued (the worker's wake-up). */
		setOnQueued(callback: () => void): void {
			onQueued = callback;
		},
	};
}

/** What {@link createWebhooks} returns. */
export type Webhooks = ReturnType<typeof createWebhooks>;

/** Decorates the app with `webhooks` (settings: the defaults, then `opts.webhooks`). */
export default fp(
	async function webhooks(app: FastifyInstance, opts: ApiOptions) {
		const settings = { ...DEFAULT_WEBHOOK_SETTINGS, ...opts.webhooks };
		app.decorate('webhooks', createWebhooks(app.db, settings, app.log));
	},
	{ name: 'webhooks', dependencies: ['db'] }
);
