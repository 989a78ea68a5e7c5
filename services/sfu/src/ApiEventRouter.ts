import {
	type InternalRoom,
	parseEnvelope,
	ROOM_EVENTS_CHANNEL,
	type RoomEvent,
	roomEventCheckers,
} from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import type { Room } from './room/Room.js';

/** What an {@link ApiEventRouter} needs. */
export interface ApiEventRouterDeps {
	/** The bus the API publishes `RoomEvents` on. */
	bus: Bus;
	/** The room of this id served here, opening or open; undefined when it is not served here. */
	room(roomId: string): Promise<Room> | undefined;
	/** The rooms open here, re-read from the API when the bus comes back (events may have been lost). */
	openRooms(): Iterable<Room>;
	/** The API's record of a room. */
	getRoom(roomId: string): Promise<InternalRoom>;
	/** Logger. */
	log: Logger;
}

/**
 * The API's room events (settings, appointments, guests, the end) delivered to the rooms this node
 * serves. Events are validated like client frames (another process wrote them); events of rooms served
 * elsewhere are ignored: the API's record is what the next node will read.
 */
export class ApiEventRouter {
	readonly #deps: ApiEventRouterDeps;
	#unsubscribe: (() => Promise<void>) | undefined;
	#stopResync: (() => void) | undefined;

	private constructor(deps: ApiEventRouterDeps) {
		this.#deps = deps;
	}

	/** Subscribes to the API's room events. */
	static async start(deps: ApiEventRouterDeps): Promise<ApiEventRouter> {
		const router = new ApiEventRouter(deps);
		router.#unsubscribe = await deps.bus.subscribe(ROOM_EVENTS_CHANNEL, (message) => {
			router
				.#onMessage(message)
				.catch((error: unknown) => deps.log.error({ err: error }, 'onRoomEvent() | failed'));
		});
		router.#stopResync = deps.bus.onResubscribed(() => {
			router.resync().catch((error: unknown) => deps.log.error({ err: error }, 'resync() | failed'));
		});

		return router;
	}

	/**
	 * Re-reads every open room from the API and applies what differs (finding 5 of the security review):
	 * pub/sub is at-most-once, so events published while the subscriber was away are gone.
	 */
	async resync(): Promise<void> {
		const rooms = [...this.#deps.openRooms()].filter((room) => !room.closed);
		this.#deps.log.info({ rooms: rooms.length }, 'resync() | bus reconnected: re-reading open rooms');
		await Promise.all(
			rooms.map(async (room) => {
				try {
					room.resync(await this.#deps.getRoom(room.id));
				} catch (error) {
					this.#deps.log.warn({ err: error, roomId: room.id }, 'resync() | could not re-read a room');
				}
			})
		);
	}

	/** Unsubscribes (errors are ignored: the node is going away). */
	async close(): Promise<void> {
		this.#stopResync?.();
		await this.#unsubscribe?.().catch(() => undefined);
	}

	async #onMessage(message: string): Promise<void> {
		const parsed = parseEnvelope(roomEventCheckers, message);
		if (!parsed.ok) {
			this.#deps.log.warn({ problem: parsed.problem }, 'onRoomEvent() | ignoring invalid room event');

			return;
		}
		const event = { type: parsed.type, data: parsed.data } as RoomEvent;
		const opening = this.#deps.room(event.data.roomId);
		if (!opening) {
			return;
		}
		const room = await opening.catch(() => undefined);
		if (!room || room.closed) {
			return;
		}
		switch (event.type) {
			case 'room.updated': {
				room.stage.applyInfo(event.data.room);
				break;
			}
			case 'room.role': {
				room.stage.applyRole(event.data.userId, event.data.role);
				break;
			}
			case 'room.guest': {
				room.stage.applyGuest(event.data.userId, event.data.kind);
				break;
			}
			case 'room.ended': {
				room.applyEnded();
				break;
			}
			case 'room.banned': {
				room.applyBan(event.data.userId);
				break;
			}
			case 'room.moderation': {
				room.moderation.apply(event.data.entry);
				break;
			}
			case 'room.report': {
				room.moderation.report(event.data.report);
				break;
			}
			case 'room.unbanned': {
				room.stage.applyUnban(event.data.userId);
				break;
			}
			default: {
				event satisfies never;
			}
		}
	}
}
