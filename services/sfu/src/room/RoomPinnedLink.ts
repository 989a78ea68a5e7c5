import { type PinnedLink, Role } from '@majlis/protocol';
import type { Logger } from '@majlis/server-kit';
import type { Clock } from '../Clock.js';
import { BadRequestError, ForbiddenError } from '../errors.js';
import type { LiveState } from './LiveState.js';
import type { Peer } from './Peer.js';
import type { RoomNotifier } from './RoomNotifier.js';

/** What {@link RoomPinnedLink} needs of its room. */
export interface RoomPinnedLinkDeps {
	/** The room's live state (who is host or co-host). */
	state: LiveState;
	/** Who is told what. */
	notifier: RoomNotifier;
	/** Time. */
	clock: Clock;
	/** The page's title, fetched safely (pageTitle.ts); null when it cannot be. */
	fetchTitle(url: string): Promise<string | null>;
	/** The room's logger. */
	log: Logger;
	/** Throws `room_ended` once the room closed. */
	assertOpen(): void;
}

/**
 * The link pinned in a live room: the host or a co-host pins an https link with an optional title,
 * everyone sees it at once, then again with the page's own title once the server fetched it; unpin.
 */
export class RoomPinnedLink {
	readonly #deps: RoomPinnedLinkDeps;
	#link: PinnedLink | null = null;

	/** The pinned link of one room. */
	constructor(deps: RoomPinnedLinkDeps) {
		this.#deps = deps;
	}

	/** The link pinned now. */
	get current(): PinnedLink | null {
		return this.#link;
	}

	/** Pins `url` for everyone (replacing the pinned link); the page title follows. */
	pin(peer: Peer, url: string, title: string | undefined): PinnedLink {
		this.#deps.assertOpen();
		this.#assertHost(peer);
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			throw new BadRequestError('not a link');
		}
		if (parsed.protocol !== 'https:' || parsed.username || parsed.password) {
			throw new BadRequestError('only https links without credentials can be pinned');
		}
		const link: PinnedLink = {
			url: parsed.toString(),
			title: title?.trim() || null,
			pageTitle: null,
			by: peer.user,
			at: this.#deps.clock.now(),
		};
		this.#link = link;
		this.#deps.notifier.broadcast('link:pinned', { link });
		void this.#deps
			.fetchTitle(link.url)
			.then((pageTitle) => {
				// Still the same pin: show its page's title.
				if (pageTitle && this.#link === link) {
					this.#link = { ...link, pageTitle };
					this.#deps.notifier.broadcast('link:pinned', { link: this.#link });
				}
			})
			.catch((error: unknown) => this.#deps.log.debug({ err: error }, 'pin() | no page title'));

		return link;
	}

	/** Unpins for everyone. */
	unpin(peer: Peer): void {
		this.#deps.assertOpen();
		this.#assertHost(peer);
		if (this.#link) {
			this.#link = null;
			this.#deps.notifier.broadcast('link:pinned', { link: null });
		}
	}

	#assertHost(peer: Peer): void {
		const role = this.#deps.state.roleOf(peer.id);
		if (role !== Role.Host && role !== Role.Cohost) {
			throw new ForbiddenError('only the host and co-hosts pin links');
		}
	}
}
