import { compile, LiveStateDataSchema, roomLiveKey, roomPresenceKey } from '@majlis/protocol';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DEFAULT_LIMITS } from '../../../limits.js';
import type { ApiOptions } from '../../../options.js';

const liveStateChecker = compile(LiveStateDataSchema);

/**
 * Whether anyone is in the room, as the bus knows it: the serving SFU node refreshes the presence count
 * (listeners) every few seconds while the room is open there, and keeps the stage in the live state.
 * No presence key means no node has the room open (never opened, or its node died).
 */
async function occupied(app: FastifyInstance, roomId: string): Promise<boolean> {
	const presence = await app.bus.get(roomPresenceKey(roomId));
	if (presence === null) {
		return false;
	}
	if (Number.parseInt(presence, 10) > 0) {
		return true;
	}
	const raw = await app.bus.get(roomLiveKey(roomId));
	try {
		const state: unknown = raw === null ? null : JSON.parse(raw);

		return liveStateChecker.check(state) && state.stage.length > 0;
	} catch {
		return false;
	}
}

/**
 * Ends live rooms nobody is in: started but never opened on an SFU node, or left empty (a node that died
 * with the room, a host who never came back), once they have been idle for `idleLiveRoomMs`. Without
 * this, a started room stays live, and listed, forever. Every API process sweeps; ending is conditional
 * on the room still being live, so two sweepers end a room once.
 */
export function createIdleRoomSweeper(app: FastifyInstance, idleMs: number) {
	const startedAt = Date.now();
	// Last time each live room was seen occupied (in this process).
	const seen = new Map<string, number>();

	async function end(roomId: string): Promise<boolean> {
		const ended = await app.db
			.updateTable('rooms')
			.set({ state: 'ended', ended_at: new Date(), updated_at: new Date() })
			.where('id', '=', roomId)
			.where('state', '=', 'live')
			.executeTakeFirst();
		if (Number(ended.numUpdatedRows) === 0) {
			return false;
		}
		await app.roomEvents.publish({ type: 'room.ended', data: { roomId } });
		await app.webhooks.emit('room.ended', roomId);
		await app.placement.forget(roomId);

		return true;
	}

	return {
		/** One pass; returns the ids of the rooms it ended. */
		async sweep(): Promise<string[]> {
			const now = Date.now();
			const live = await app.db
				.selectFrom('rooms')
				.select(['id', 'started_at'])
				.where('state', '=', 'live')
				.execute();
			const ids = new Set(live.map((r) => r.id));
			for (const id of seen.keys()) {
				if (!ids.has(id)) {
					seen.delete(id);
				}
			}
			const endedIds: string[] = [];
			for (const room of live) {
				if (await occupied(app, room.id)) {
					seen.set(room.id, now);
					continue;
				}
				// Never seen occupied by this process: idle since it started, or since this process did (a
				// restarted API must not end a room that was busy a moment ago).
				const idleSince = seen.get(room.id) ?? Math.max(room.started_at?.getTime() ?? now, startedAt);
				if (now - idleSince >= idleMs && (await end(room.id))) {
					seen.delete(room.id);
					endedIds.push(room.id);
				}
			}
			if (endedIds.length > 0) {
				app.log.info({ rooms: endedIds }, 'idleRooms.sweep() | ended idle live rooms');
			}

			return endedIds;
		},
	};
}

/** What {@link createIdleRoomSweeper} returns. */
export type IdleRoomSweeper = ReturnType<typeof createIdleRoomSweeper>;

declare module 'fastify' {
	interface FastifyInstance {
		/** Ends live rooms nobody is in (runs on a timer; `sweep()` runs one pass now). */
		idleRooms: IdleRoomSweeper;
	}
}

/** Decorates the app with `idleRooms` and sweeps every `sweepIntervalMs` while the app is up. */
export default fp(
	async function idleRooms(app: FastifyInstance, opts: ApiOptions) {
		const limits = { ...DEFAULT_LIMITS, ...opts.limits };
		const sweeper = createIdleRoomSweeper(app, limits.idleLiveRoomMs);
		app.decorate('idleRooms', sweeper);
		let running: Promise<unknown> | null = null;
		let timer: NodeJS.Timeout | undefined;
		app.addHook('onReady', async () => {
			timer = setInterval(() => {
				// One pass at a time: a slow database must not pile sweeps up.
				running ??= sweeper
					.sweep()
					.catch((error: unknown) => app.log.warn({ err: error }, 'idleRooms | sweep failed'))
					.finally(() => {
						running = null;
					});
			}, limits.sweepIntervalMs);
			timer.unref();
		});
		app.addHook('onClose', async () => {
			clearInterval(timer);
			await running;
		});
	},
	{ name: 'idle-rooms', dependencies: ['db', 'bus', 'room-events', 'placement', 'webhooks'] }
);
