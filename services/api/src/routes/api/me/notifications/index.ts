import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
	NotificationListSchema,
	type NotificationStreamMessage,
	parseEnvelope,
	USER_EVENTS_CHANNEL,
	type UserEvent,
	userEventCheckers,
} from '@majlis/protocol';
import { Type } from 'typebox';
import { NotFoundError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

/** Comment lines keep proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

const UnreadSchema = Type.Object({ unread: Type.Integer({ minimum: 0 }) });

/** `/api/me/notifications`: the notification centre (list, unread count, mark read) and its live stream. */
const notificationsRoute: FastifyPluginAsyncTypebox = async (app) => {
	const repo = app.notificationsRepository;
	// Open streams, with whose session opened them (null: an API token).
	const streams = new Map<ServerResponse, { userId: string; sessionId: string | null }>();

	// Open streams never end by themselves: end them so the server can close.
	app.addHook('preClose', async () => {
		for (const raw of streams.keys()) {
			raw.end();
		}
	});

	// A log-out (or log-out everywhere, a password change, a suspension) ends that session's streams on
	// every API node, as it closes the user's sockets on the SFU nodes. Not awaited: the API serves while
	// Redis is away, and the bus keeps the subscription once made.
	let unsubscribe: (() => Promise<void>) | undefined;
	app.bus
		.subscribe(USER_EVENTS_CHANNEL, (message) => {
			const parsed = parseEnvelope(userEventCheckers, message);
			if (!parsed.ok) {
				app.log.warn({ problem: parsed.problem }, 'notifications stream | ignoring an invalid user event');

				return;
			}
			const { userId, sessionIds } = parsed.data as UserEvent['data'];
			for (const [raw, owner] of streams) {
				if (owner.userId === userId && (sessionIds === null || sessionIds.includes(owner.sessionId ?? ''))) {
					raw.end();
				}
			}
		})
		.then(
			(stop) => {
				unsubscribe = stop;
			},
			(error: unknown) => app.log.warn({ err: error }, 'notifications stream | could not subscribe')
		);
	app.addHook('onClose', async () => {
		await unsubscribe?.().catch(() => undefined);
	});

	app.get(
		'',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'listNotifications',
				summary: 'Your newest notifications and how many are unread',
				security: [...Security.user],
				response: { 200: NotificationListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const items = await repo.list(userId);
			const unread = await repo.unread(userId);

			return { items, unread };
		}
	);

	app.get(
		'/stream',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'streamNotifications',
				summary: 'Server-sent events: `unread` first, then each `notification` and `unread` change',
				description:
					'`text/event-stream`. Each event’s data is JSON: `{type:"notification", notification, unread}` or ' +
					'`{type:"unread", unread}`. Works with several API nodes: events travel over the bus.',
				security: [...Security.user],
				response: { 200: Type.String({ description: 'text/event-stream' }), ...CommonErrors },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			const raw = reply.raw;
			const send = (event: NotificationStreamMessage) => {
				raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
			};
			// Listen before counting, so nothing made in between is missed.
			const stop = app.notificationStream.listen(userId, ({ userId: _, ...event }) =>
				send(event as NotificationStreamMessage)
			);
			reply.hijack();
			raw.writeHead(200, {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': 'no-store',
				'x-accel-buffering': 'no',
				connection: 'keep-alive',
			});
			streams.set(raw, { userId, sessionId: request.sessionId });
			const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
			const close = () => {
				clearInterval(heartbeat);
				stop();
				streams.delete(raw);
			};
			raw.on('close', close);
			try {
				send({ type: 'unread', unread: await repo.unread(userId) });
			} catch (error) {
				request.log.error({ err: error }, 'notifications stream | first count');
				raw.end();
			}
		}
	);

	app.post(
		'/:notificationId/read',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'markNotificationRead',
				summary: 'Mark one notification read',
				security: [...Security.user],
				params: Type.Object({ notificationId: UuidSchema }),
				response: { 200: UnreadSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			if (!(await repo.markRead(userId, request.params.notificationId))) {
				throw new NotFoundError('notification');
			}
			const unread = await repo.unread(userId);
			// The person's other tabs and devices update their badge.
			await app.notificationStream.publish({ type: 'unread', userId, unread });

			return { unread };
		}
	);

	app.post(
		'/read-all',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'markAllNotificationsRead',
				summary: 'Mark every notification read',
				security: [...Security.user],
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const userId = requireUser(request);
			await repo.markAllRead(userId);
			await app.notificationStream.publish({ type: 'unread', userId, unread: 0 });
			reply.code(204);
		}
	);
};

export default notificationsRoute;
