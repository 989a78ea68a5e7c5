import { NOTIFICATIONS_CHANNEL, type NotificationStreamEvent } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
	interface FastifyInstance {
		/** This node's open notification streams, fed from every node through the bus. */
		notificationStream: NotificationStreamHub;
	}
}

/** Receives the stream events of one user. */
export type StreamListener = (event: NotificationStreamEvent) => void;

/**
 * Per-user streams on this API node. Events go through the bus (Redis pub/sub with several nodes, the
 * in-process bus embedded), so the node that made a notification need not be the one holding the
 * recipient's open stream.
 */
export function createNotificationStreamHub() {
	const listeners = new Map<string, Set<StreamListener>>();

	return {
		/** Adds a listener for `userId`'s events; returns its removal. */
		listen(userId: string, listener: StreamListener): () => void {
			let set = listeners.get(userId);
			if (!set) {
				set = new Set();
				listeners.set(userId, set);
			}
			set.add(listener);

			return () => {
				set.delete(listener);
				if (set.size === 0) {
					listeners.delete(userId);
				}
			};
		},

		/** Hands a bus message to this node's listeners of its user; malformed messages are dropped. */
		deliver(message: string): void {
			let event: NotificationStreamEvent;
			try {
				event = JSON.parse(message) as NotificationStreamEvent;
			} catch {
				return;
			}
			if (typeof event?.userId !== 'string') {
				return;
			}
			for (const listener of listeners.get(event.userId) ?? []) {
				listener(event);
			}
		},

		/** How many streams are open on this node. */
		get size(): number {
			let n = 0;
			for (const set of listeners.values()) {
				n += set.size;
			}

			return n;
		},
	};
}

/** What {@link createNotificationStreamHub} returns. */
export type NotificationStreamHub = ReturnType<typeof createNotificationStreamHub> & {
	/** Sends an event to its user's streams on every node. */
	publish(event: NotificationStreamEvent): Promise<void>;
};

/** Decorates the app with `notificationStream` and subscribes it to the bus for the app's lifetime. */
export default fp(
	async function notificationStream(app: FastifyInstance) {
		const hub = createNotificationStreamHub();
		// Not awaited: the API serves while Redis is down (its limits fall back to memory), and a subscription
		// made later, once Redis answers, is kept by the bus across reconnects. Until then streams get only
		// this node's events; every notification is in Postgres for the next list.
		let unsubscribe: (() => Promise<void>) | undefined;
		app.bus.subscribe(NOTIFICATIONS_CHANNEL, (message) => hub.deliver(message)).then(
			(stop) => {
				unsubscribe = stop;
			},
			(error: unknown) => app.log.warn({ err: error }, 'notificationStream | could not subscribe')
		);
		app.addHook('onClose', async () => {
			await unsubscribe?.().catch(() => undefined);
		});
		app.decorate('notificationStream', {
			listen: hub.listen,
			deliver: hub.deliver,
			get size() {
				return hub.size;
			},
			async publish(event: NotificationStreamEvent): Promise<void> {
				try {
					await app.bus.publish(NOTIFICATIONS_CHANNEL, JSON.stringify(event));
				} catch (error) {
					// Postgres holds the notification; an open page catches up when it reloads the list.
					app.log.warn({ err: error }, 'notificationStream.publish() | failed');
				}
			},
		});
	},
	{ name: 'notification-stream', dependencies: ['bus'] }
);
