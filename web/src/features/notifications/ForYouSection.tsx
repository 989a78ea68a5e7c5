import type { Room } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { RoomCard } from '../rooms/components/RoomCard';
import { useT } from '../../i18n';
import { useNotificationsStore } from './useNotificationsStore';

/** Home's "For you": live and upcoming rooms of hosts you follow and rooms you asked to be reminded of. */
export function ForYouSection() {
	const t = useT();
	const [rooms, setRooms] = useState<Room[] | null>(null);
	const [failed, setFailed] = useState(false);
	// A followed host scheduling or starting a room arrives as a notification: show it without a reload.
	const latest = useNotificationsStore((s) => s.items[0]?.id ?? null);

	// biome-ignore lint/correctness/useExhaustiveDependencies: reloads when a new notification arrives.
	useEffect(() => {
		const controller = new AbortController();
		api<{ items: Room[] }>('/api/me/for-you', { signal: controller.signal })
			.then((page) => {
				setRooms(page.items);
				setFailed(false);
			})
			.catch((error: Error) => error.name !== 'AbortError' && setFailed(true));

		return () => controller.abort();
	}, [latest]);

	if (!failed && rooms !== null && rooms.length === 0) {
		return null;
	}

	return (
		<section className="home-section" aria-labelledby="home-for-you" aria-busy={rooms === null}>
			<h2 id="home-for-you" className="section-title">
				{t('home.forYou')}
			</h2>
			{failed && (
				<p role="alert" className="notice notice-error">
					{t('notif.error')}
				</p>
			)}
			{rooms && rooms.length > 0 && (
				<div className="room-grid">
					{rooms.map((room) => (
						<RoomCard key={room.id} room={room} />
					))}
				</div>
			)}
		</section>
	);
}
