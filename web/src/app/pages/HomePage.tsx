import type { Room, RoomState } from '@majlis/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { ForYouSection } from '../../features/notifications/ForYouSection';
import { RoomCard } from '../../features/rooms/components/RoomCard';
import { listRooms } from '../../features/rooms/roomsApi';
import { isUpcoming } from '../../features/rooms/upcoming';
import { type MessageKey, useT } from '../../i18n';
import { errorMessageKey } from '../errorMessage';
import { Link } from '../Link';

interface ListState {
	items: Room[];
	nextCursor: string | null;
	loading: boolean;
	error: MessageKey | null;
}

function useRoomList(state: RoomState) {
	const [list, setList] = useState<ListState>({ items: [], nextCursor: null, loading: true, error: null });

	const load = useCallback(
		async (cursor: string | null, signal?: AbortSignal) => {
			setList((l) => ({ ...l, loading: true, error: null }));
			try {
				const page = await listRooms({ state, cursor }, signal);
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
		[state]
	);

	useEffect(() => {
		const controller = new AbortController();
		void load(null, controller.signal);

		return () => controller.abort();
	}, [load]);

	return { list, more: () => load(list.nextCursor) };
}

function RoomSection({
	state,
	heading,
	empty,
}: {
	state: RoomState;
	heading: MessageKey;
	empty: MessageKey;
}) {
	const t = useT();
	const { list, more } = useRoomList(state);
	const headingId = `home-${state}`;
	// A scheduled room whose host never came leaves Upcoming a while after its start time.
	const now = Date.now();
	const items = state === 'scheduled' ? list.items.filter((room) => isUpcoming(room, now)) : list.items;

	return (
		<section className="home-section" aria-labelledby={headingId} aria-busy={list.loading}>
			<h2 id={headingId} className="section-title">
				{state === 'live' && <span className="live-dot" aria-hidden="true" />}
				{t(heading)}
			</h2>
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

/** Home: rooms live now and upcoming ones. */
export function HomePage() {
	const t = useT();
	const user = useAuthStore((s) => s.user);

	return (
		<div className="home">
			<div className="home-hero">
				<div>
					<h1>{t('home.heading')}</h1>
					<p className="lead">{t('home.lead')}</p>
				</div>
				{user && (
					<Link to="/schedule" className="button button-primary">
						{t('home.hostOne')}
					</Link>
				)}
			</div>
			{/* Reach: followed hosts' and reminded rooms first. */}
			{user && <ForYouSection key={user.id} />}
			<RoomSection state="live" heading="home.live" empty="home.noLive" />
			<RoomSection state="scheduled" heading="home.upcoming" empty="home.noUpcoming" />
		</div>
	);
}
