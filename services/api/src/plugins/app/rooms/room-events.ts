import { type LiveRoomInfo, ROOM_EVENTS_CHANNEL, type RoomEvent } from '@majlis/protocol';
import type { Bus } from '@majlis/server-kit';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RoomRow } from '../../../db/schema.js';

declare module 'fastify' {
	interface FastifyInstance {
		/** Tells SFU nodes about room changes. */
		roomEvents: RoomEventsPublisher;
	}
}

/** The live settings of a room, as SFU nodes get them. */
export function toLiveRoomInfo(
	row: Pick<RoomRow, 'id' | 'title' | 'speak_requests' | 'max_speakers'>
): LiveRoomInfo {
	return { id: row.id, title: row.title, speakRequests: row.speak_requests, maxSpeakers: row.max_speakers };
}

/** Publishes {@link RoomEvent}s on {@link ROOM_EVENTS_CHANNEL}. */
export function createRoomEvents(bus: Bus, log: FastifyBaseLogger) {
	return {
		/**
		 * Publishes after the change is committed. A failure is logged, not thrown: Postgres is the system
		 * of record and the SFU re-reads it when it opens a room, so the caller still gets its answer.
		 */
		async publish(event: RoomEvent): Promise<void> {
			try {
				await bus.publish(ROOM_EVENTS_CHANNEL, JSON.stringify(event));
			} catch (error) {
				log.error({ err: error, event: event.type }, 'roomEvents.publish() | failed');
			}
		},
	};
}

/** What {@link createRoomEvents} returns. */
export type RoomEventsPublisher = ReturnType<typeof createRoomEvents>;

/** Decorates the app with `roomEvents`. */
export default fp(
	async function roomEvents(app: FastifyInstance) {
		app.decorate('roomEvents', createRoomEvents(app.bus, app.log));
	},
	{ name: 'room-events', dependencies: ['bus'] }
);
