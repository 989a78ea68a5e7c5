import { parseEnvelope, USER_EVENTS_CHANNEL, userEventCheckers as checkers } from '@majlis/protocol';
import type { Bus, Logger } from '@majlis/server-kit';
import type { Room } from './room/Room.js';

/** What a {@link UserEventRouter} needs. */
export interface UserEventRouterDeps {
	/** The bus the API publishes `UserEvents` on. */
	bus: Bus;
	/** The rooms open on this node. */
	rooms(): Iterable<Room>;
	/** Logger. */
	log: Logger;
}

/**
 * The API's account events: when a user's sessions are revoked (log-out, log-out everywhere, a password
 * change), their sockets in the rooms of this node close. Tickets carry no session id, so every socket of
 * the user closes; a device still signed in reconnects through the API with its valid token.
 */
export class UserEventRouter {
	#unsubscribe: (() => Promise<void>) | undefined;

	/** Subscribes to the API's account events. */
	static async start(deps: UserEventRouterDeps): Promise<UserEventRouter> {
		const router = new UserEventRouter();
		router.#unsubscribe = await deps.bus.subscribe(USER_EVENTS_CHANNEL, (message) => {
			const parsed = parseEnvelope(checkers, message);
			if (!parsed.ok) {
				deps.log.warn({ problem: parsed.problem }, 'onUserEvent() | ignoring invalid user event');

				return;
			}
			const { userId } = parsed.data as { userId: string };
			for (const room of deps.rooms()) {
				room.signOut(userId);
			}
		});

		return router;
	}

	/** Unsubscribes (errors are ignored: the node is going away). */
	async close(): Promise<void> {
		await this.#unsubscribe?.().catch(() => undefined);
	}
}
