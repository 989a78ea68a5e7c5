import type { Room } from '@majlis/protocol';
import { useCallback, useEffect, useState } from 'react';
import { errorMessageKey } from '../../../app/errorMessage';
import { type MessageKey, useT } from '../../../i18n';
import { listRooms, type RoomQuery } from '../roomsApi';
import { isUpcoming } from '../upcoming';
import { RoomCard } from './RoomCard';

interface ListState {
	items: Room[];
	nextCursor: string | null;
	loading: boolean;
	error: MessageKey | null;
}

/** Pages of `GET /api/rooms` for `query`, reloaded from the first page whenever the query changes. */
export function useRoomList(query: RoomQuery) {
	const [list, setList] = useState<ListState>({ items: [], nextCursor: null, loading: true, error: null });
	// The query's value, not its identity, decides when to reload.
	const key = JSON.stringify(query);

	// biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `query`'s value.
	const load = useCallback(
		async (cursor: string | null, signal?: AbortSignal) => {
			setList((l) => ({ ...l, loading: true, error: null }));
			try {
				const page = await listRooms({ ...query, cursor }, signal);
				setList((l) => ({
					items: cursor ? [...l.items, ...page.items] : page.items,
					nextCursor: page.nextCursor,
					loading: false,
					error: null,
				}));
			} catch (error) {
				if ((error as Error).name !== 'AbortError') {
					setList((l) => ({ ...l, loading: false, error: errorMessageKey(error) }));
				}
			}
		},
		[key]
	);

	useEffect(() => {
		const controller = new AbortController();
		void load(null, controller.signal);

		return () => controller.abort();
	}, [load]);

	return { list, more: () => load(list.nextCursor) };
}

/** Props of {@link RoomListSection}. */
export interface RoomListSectionProps {
	/** Unique id for the heading. */
	id: string;
	/** What to list (its `state` decides the live dot and the upcoming filter). */
	query: RoomQuery;
	heading: MessageKey;
	empty: MessageKey;
	/** Heading level: 2 on home, 2 or 3 elsewhere. */
	level?: 2 | 3;
}

/** A headed list of room cards with "show more", for home and profiles. */
export function RoomListSection({ id, query, heading, empty, level = 2 }: RoomListSectionProps) {
	const t = useT();
	const { list, more } = useRoomList(query);
	const headingId = `rooms-${id}`;
	// A scheduled room whose host never came leaves Upcoming a while after its start time.
	const now = Date.now();
	const items = query.state === 'scheduled' ? list.items.filter((room) => isUpcoming(room, now)) : list.items;
	const Heading = level === 2 ? 'h2' : 'h3';

	return (
		<section className="home-section" aria-labelledby={headingId} aria-busy={list.loading}>
			<Heading id={headingId} className="section-title">
				{query.state === 'live' && <span className="live-dot" aria-hidden="true" />}
				{t(heading)}
			</Heading>
			{list.error && (
				<p role="alert" className="notice notice-error">
					{t(list.error)}
				</p>
			)}
			{items.length > 0 ? (
				<div className="room-grid">
					{items.map((room) => (
						<RoomCard key={room.id} room={room} />
					))}
				</div>
			) : list.loading ? (
				<p className="muted">{t('home.loading')}</p>
			) : (
				!list.error && <p className="empty">{t(empty)}</p>
			)}
			{list.nextCursor && (
				<button type="button" className="button button-quiet" disabled={list.loading} onClick={more}>
					{t('home.showMore')}
				</button>
			)}
		</section>
	);
}
