import type { Logger } from '@majlis/server-kit';
import type { types } from 'mediasoup';
import type { ApiClient } from './ApiClient.js';
import type { RoomPlacement } from './RoomPlacement.js';
import type { Recordings } from './recording/Recordings.js';
import { Room } from './room/Room.js';
import type { RoomStateStore } from './room/RoomStateStore.js';
import type { RoomOptions } from './room/RoomTypes.js';
import { WordFilter } from './room/wordFilter.js';
import type { SfuOptions } from './SfuTypes.js';

/** What {@link roomFactory} takes from the node. */
export interface RoomFactoryDeps {
	/** The node's options (intervals, grace, chat words, title fetch). */
	options: SfuOptions;
	/** A ready worker for the next room's router. */
	pickWorker: () => Promise<types.Worker>;
	/** What every room and relay of the node shares: the workers and their load, transport settings, time. */
	shared: Pick<
		RoomOptions,
		'workers' | 'load' | 'maxConsumersPerWorker' | 'media' | 'allowPlainTransports' | 'clock'
	>;
	/** Internal REST client of the API. */
	api: ApiClient;
	/** Live state persistence. */
	store: RoomStateStore;
	/** How long a disconnected host keeps the room. */
	hostGraceMs: number;
	/** The node's recordings. */
	recordings: Recordings;
	/** Which node holds which room, as the API sees it. */
	placement: RoomPlacement;
	/** The node's logger. */
	log: Logger;
}

/** Makes the node's origin rooms, each releasing its placement when it ends or the node gives it up. */
export function roomFactory(deps: RoomFactoryDeps): (roomId: string) => Promise<Room> {
	const { options, shared, api, store, hostGraceMs, recordings, placement, log } = deps;
	const chatFilter = new WordFilter(options.chatBlockedWords ?? []);

	return async function createRoom(roomId: string): Promise<Room> {
		const room = await Room.create({
			roomId,
			worker: await deps.pickWorker(),
			...shared,
			api,
			store,
			bus: options.bus,
			hostGraceMs,
			rejoinGraceMs: options.rejoinGraceMs,
			log: log.child({ module: 'Room' }),
			speakingIntervalMs: options.speakingIntervalMs,
			countIntervalMs: options.countIntervalMs,
			recordings,
			chatFilter,
			fetchPageTitle: options.fetchPageTitle,
		});
		room.on('close', (reason) => {
			// An ended room, or one this node gives up, must not keep pointing the API at this node.
			if (reason === 'ended' || reason === 'shutdown') {
				placement.release(roomId);
			}
		});

		return room;
	};
}
