import { randomUUID } from 'node:crypto';
import type { NotificationKind, PushPayload } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { canSee } from '../authorization.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Tells people about rooms: stored, streamed live to open pages, and pushed. */
		notifier: Notifier;
	}
}

/** One event to tell `candidates` about. */
export interface NotifyInput {
	kind: NotificationKind;
	roomId: string;
	/** Who caused it (never notified of their own act). */
	actorId: string | null;
	candidates: readonly string[];
}

/**
 * The fan-out: drops the actor, anyone the room's host blocked or removed from it, anyone a private room
 * does not admit, and anyone who turned the kind off; stores the rest's notifications, sends them down
 * their open streams (through the bus, to whichever node holds them) and pushes them.
 */
export function createNotifier(app: FastifyInstance) {
	const { db, notificationsRepository: repo, notificationStream, webPush, roomsRepository } = app;
	const pending = new Set<Promise<unknown>>();

	/** Of `userIds`, who may hear about the room. */
	async function admitted(
		roomId: string,
		userIds: readonly string[]
	): Promise<{ ids: string[]; title: string }> {
		const context = await roomsRepository.context(roomId, null);
		if (!context || userIds.length === 0) {
			return { ids: [], title: context?.row.title ?? '' };
		}
		const hostId = context.row.host_id;
		// One query after another: the embedded database serves one statement at a time.
		const guests = await db
			.selectFrom('room_guests')
			.select(['user_id', 'kind'])
			.where('room_id', '=', roomId)
			.where('user_id', 'in', userIds)
			.execute();
		const bans = await db
			.selectFrom('room_bans')
			.select('user_id')
			.where('room_id', '=', roomId)
			.where('user_id', 'in', userIds)
			.execute();
		const blocks = await db
			.selectFrom('user_blocks')
			.select('blocked_id')
			.where('blocker_id', '=', hostId)
			.where('blocked_id', 'in', userIds)
			.execute();
		const guestKind = new Map(guests.map((g) => [g.user_id, g.kind]));
		const refused = new Set([...bans.map((b) => b.user_id), ...blocks.map((b) => b.blocked_id)]);
		const ids = userIds.filter(
			(userId) =>
				!refused.has(userId) &&
				canSee(context.room, { userId, guestKind: guestKind.get(userId) ?? null, banned: false })
		);

		return { ids, title: context.row.title };
	}

	async function notify(input: NotifyInput): Promise<void> {
		const unique = [...new Set(input.candidates)].filter((id) => id !== input.actorId);
		const { ids, title } = await admitted(input.roomId, unique);
		if (ids.length === 0) {
			return;
		}
		const optedOut = await repo.optedOut(ids, input.kind);
		const stored = await repo.insert(
			ids.filter((id) => !optedOut.inApp.has(id)),
			{ kind: input.kind, roomId: input.roomId, actorId: input.actorId }
		);
		for (const [userId, notification] of stored) {
			const unread = await repo.unread(userId);
			await notificationStream.publish({ type: 'notification', userId, notification, unread });
		}
		const actor = input.actorId ? await app.usersRepository.findById(input.actorId) : undefined;
		const payloads = new Map<string, PushPayload>();
		for (const userId of ids) {
			if (!optedOut.push.has(userId)) {
				payloads.set(userId, {
					id: stored.get(userId)?.id ?? randomUUID(),
					kind: input.kind,
					roomId: input.roomId,
					roomTitle: title,
					actorName: actor?.displayName ?? '',
					url: `/rooms/${input.roomId}`,
				});
			}
		}
		// Push services may be slow: the deliveries go on in the background (the app waits for them on close).
		const deliveries = await webPush.prepare(payloads);
		const task = webPush
			.deliver(deliveries, app.log)
			.catch((error: unknown) => app.log.error({ err: error }, 'notifier | push failed'));
		pending.add(task);
		void task.finally(() => pending.delete(task));
	}

	/**
	 * Runs `work` on the caller's path (its queries one after another, like the request's own: the embedded
	 * database serves one statement at a time), logging instead of failing the request that caused it.
	 */
	async function safely(what: string, work: () => Promise<void>): Promise<void> {
		try {
			await work();
		} catch (error) {
			app.log.error({ err: error, what }, 'notifier | failed');
		}
	}

	async function roomStarted(roomId: string, actorId: string): Promise<void> {
		const row = await roomsRepository.findWithHost(roomId);
		if (!row) {
			return;
		}
		const reminded = await app.reminders.userIds(roomId);
		// The host's act, even when a co-host pressed start; whoever pressed it is not told.
		await notify({
			kind: 'reminder',
			roomId,
			actorId: row.host_id,
			candidates: reminded.filter((id) => id !== actorId),
		});
		if (row.visibility !== 'unlisted') {
			const told = new Set(reminded);
			const followers = (await app.follows.followerIds(row.host_id)).filter(
				(id) => !told.has(id) && id !== actorId
			);
			await notify({ kind: 'followLive', roomId, actorId: row.host_id, candidates: followers });
		}
	}

	async function roomScheduled(roomId: string): Promise<void> {
		const row = await roomsRepository.findWithHost(roomId);
		if (!row || row.visibility === 'unlisted') {
			return;
		}
		await notify({
			kind: 'followScheduled',
			roomId,
			actorId: row.host_id,
			candidates: await app.follows.followerIds(row.host_id),
		});
	}

	async function replayReady(roomId: string): Promise<void> {
		const context = await roomsRepository.context(roomId, null);
		if (!context) {
			return;
		}
		const reminded = await app.reminders.userIds(roomId);
		await notify({
			kind: 'replay',
			roomId,
			actorId: null,
			candidates: [context.row.host_id, ...context.room.cohostIds, ...reminded],
		});
	}

	return {
		/** Notifies and waits (tests, and callers already off the request path). */
		notify,

		/** Resolves when every push in flight has been handed to its push service (or failed). */
		async settled(): Promise<void> {
			while (pending.size > 0) {
				await Promise.all([...pending]);
			}
		},

		/** A room went live: those who asked to be reminded, then the host's followers (never throws). */
		roomStarted(roomId: string, actorId: string): Promise<void> {
			return safely('roomStarted', () => roomStarted(roomId, actorId));
		},

		/** A room was scheduled: the host's followers; unlisted rooms are not announced (never throws). */
		roomScheduled(roomId: string): Promise<void> {
			return safely('roomScheduled', () => roomScheduled(roomId));
		},

		/** A replay is ready: the host, co-hosts and those who asked to be reminded (never throws). */
		replayReady(roomId: string): Promise<void> {
			return safely('replayReady', () => replayReady(roomId));
		},

		/** Someone was made co-host, moderator or guest (never throws). */
		appointed(
			kind: 'cohost' | 'moderator' | 'guest',
			roomId: string,
			actorId: string,
			userId: string
		): Promise<void> {
			return safely('appointed', () => notify({ kind, roomId, actorId, candidates: [userId] }));
		},
	};
}

/** What {@link createNotifier} returns. */
export type Notifier = ReturnType<typeof createNotifier>;

/** Decorates the app with `notifier`; closing the app waits for notifications in flight. */
export default fp(
	async function notifier(app: FastifyInstance) {
		const service = createNotifier(app);
		app.decorate('notifier', service);
		app.addHook('preClose', async () => service.settled());
	},
	{
		name: 'notifier',
		dependencies: [
			'db',
			'notifications-repository',
			'notification-stream',
			'web-push',
			'rooms-repository',
			'reminders-repository',
			'follows-repository',
			'users-repository',
		],
	}
);
