import type { Room } from '@majlis/protocol';
import { useId } from 'react';
import { Link } from '../../../app/Link';
import { navigate } from '../../../app/router';
import { Avatar } from '../../../components/Avatar';
import { CalendarIcon, UsersIcon } from '../../../components/icons';
import { formatDateTime, useLangStore, useT } from '../../../i18n';
import { NameList, Trans } from '../../../i18n/Trans';
import { ReplayLink } from '../../replay/ReplayLink';
import { wasRemoved } from '../../room/removedRooms';
import { TopicList } from './TopicList';

/** A room in the home lists: title, topics, hosts, and listeners (live) or start time (upcoming). */
export function RoomCard({ room }: { room: Room }) {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const titleId = useId();
	const hosts = [room.host, ...room.cohosts];
	const live = room.state === 'live';

	return (
		<article className={`room-card${live ? ' room-card-live' : ''}`} aria-labelledby={titleId}>
			<div className="room-card-top">
				{live && <span className="badge badge-live">{t('card.live')}</span>}
				{room.visibility !== 'public' && (
					<span className="badge">{t(room.visibility === 'private' ? 'card.private' : 'card.unlisted')}</span>
				)}
			</div>
			<h3 className="room-card-title" dir="auto">
				<Link to={`/rooms/${room.id}`} id={titleId}>
					{room.title}
				</Link>
			</h3>
			{room.description && (
				<p className="room-card-description" dir="auto">
					{room.description}
				</p>
			)}
			<TopicList topics={room.topics} />
			<div className="room-card-hosts">
				<span className="avatar-stack">
					{hosts.slice(0, 3).map((h) => (
						<Avatar key={h.id} id={h.id} name={h.displayName} />
					))}
				</span>
				<span>
					<Trans
						k="card.hostedBy"
						values={{ names: <NameList lang={lang} names={hosts.map((h) => h.displayName)} /> }}
					/>
				</span>
			</div>
			<div className="room-card-footer">
				{live ? (
					<>
						<span className="meta">
							<UsersIcon /> {t('card.listening', { count: room.listenerCount })}
						</span>
						{!wasRemoved(room.id) && (
							<button
								type="button"
								className="button button-primary"
								onClick={() => navigate(`/rooms/${room.id}`, { state: { autoJoin: true } })}
							>
								{t('roompage.join')}
							</button>
						)}
					</>
				) : room.state === 'ended' ? (
					<ReplayLink roomId={room.id} />
				) : (
					<span className="meta">
						<CalendarIcon />{' '}
						{room.scheduledFor
							? Date.parse(room.scheduledFor) < Date.now()
								? t('card.waitingForHost')
								: t('card.startsAt', { time: formatDateTime(lang, room.scheduledFor) })
							: t('card.noTime')}
					</span>
				)}
			</div>
		</article>
	);
}
