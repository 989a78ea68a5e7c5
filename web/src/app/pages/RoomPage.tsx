import { RoomReminder } from '../../features/notifications/RoomReminder';
import { SeriesPanel } from '../../features/notifications/SeriesPanel';
import type { Room } from '@majlis/protocol';
import { useCallback, useEffect, useState } from 'react';
import { Avatar } from '../../components/Avatar';
import { CalendarIcon, UsersIcon } from '../../components/icons';
import { RoleBadge } from '../../components/RoleBadge';
import { ShareLink } from '../../components/ShareLink';
import { useCompactLayout } from '../../components/useCompactLayout';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { EmbedDialog } from '../../features/embed/EmbedDialog';
import { AnalyticsPanel } from '../../features/replay/AnalyticsPanel';
import { RecordingSetting } from '../../features/replay/RecordingSetting';
import { ReplayLink } from '../../features/replay/ReplayLink';
import { LiveRoom } from '../../features/room/components/LiveRoom';
import { joinSession } from '../../features/room/joinRoomSession';
import {
	dropClosedSession,
	leaveSession,
	shouldResume,
	useRoomSession,
} from '../../features/room/roomSession';
import { useRoomStore } from '../../features/room/stores/useRoomStore';
import { TopicList } from '../../features/rooms/components/TopicList';
import { getRoom, startRoom } from '../../features/rooms/roomsApi';
import { formatDateTime, type MessageKey, useLangStore, useT } from '../../i18n';
import { errorMessageKey } from '../errorMessage';
import { Link } from '../Link';
import { PageError, PageLoading } from '../PageStatus';
import { consumeAutoJoin, loginPath, navigate } from '../router';

function RoomHeader({ room }: { room: Room }) {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const liveCount = useRoomStore((s) => (s.roomId === room.id ? s.live?.listenerCount : undefined));
	const title = useRoomStore((s) => (s.roomId === room.id ? s.live?.room.title : undefined));
	// While joined, the live stage knows who hosts now (a co-host may have taken over): it wins over the
	// room as loaded.
	const liveHost = useRoomStore((s) =>
		s.roomId === room.id && s.status !== 'closed' ? s.live?.stage.find((m) => m.role === 'host') : undefined
	);
	const count = liveCount ?? room.listenerCount;
	const host = liveHost ? { id: liveHost.userId, displayName: liveHost.displayName } : room.host;
	const formerHost = host.id !== room.host.id ? [room.host] : [];
	const cohosts = [...room.cohosts.filter((c) => c.id !== host.id), ...formerHost];
	// On a phone the stage comes first: who hosts, what it is about and the link fold away.
	const compact = useCompactLayout();
	const about = (
		<>
			{room.description && (
				<p className="room-description" dir="auto">
					{room.description}
				</p>
			)}
			<TopicList topics={room.topics} />
			<ul className="room-hosts">
				{[host, ...cohosts].map((h, i) => (
					<li key={h.id}>
						<Avatar id={h.id} name={h.displayName} />
						<bdi>{h.displayName}</bdi>
						<RoleBadge role={i === 0 ? 'host' : 'cohost'} />
					</li>
				))}
			</ul>
		</>
	);
	// A private room's player would only tell strangers it is private: no Embed for it.
	const share = room.state !== 'ended' && (
		<ShareLink
			path={`/rooms/${room.id}`}
			more={room.visibility !== 'private' && <EmbedDialog roomId={room.id} title={room.title} />}
		/>
	);

	return (
		<header className="room-header">
			<div className="room-header-main">
				<div className="room-header-badges">
					{room.state === 'live' && <span className="badge badge-live">{t('card.live')}</span>}
					{room.visibility !== 'public' && (
						<span className="badge">
							{t(room.visibility === 'private' ? 'card.private' : 'card.unlisted')}
						</span>
					)}
				</div>
				<h1 className="room-title" dir="auto">
					{title ?? room.title}
				</h1>
				{!compact && about}
				<p className="meta">
					{room.state === 'live' ? (
						<>
							<UsersIcon /> {t('room.listenerCount', { count })}
						</>
					) : room.state === 'scheduled' ? (
						<>
							<CalendarIcon />{' '}
							{room.scheduledFor
								? t('roompage.scheduledFor', { time: formatDateTime(lang, room.scheduledFor) })
								: t('card.noTime')}
						</>
					) : null}
				</p>
			</div>
			{compact ? (
				<details className="disclosure room-details">
					<summary>{t('phone.roomDetails')}</summary>
					{about}
					{share}
				</details>
			) : (
				share
			)}
		</header>
	);
}

function ClosedNotice({ onRejoin }: { onRejoin(): void }) {
	const t = useT();
	const reason = useRoomStore((s) => s.closeReason);
	const error = useRoomStore((s) => s.closeError);
	const ended = useRoomStore((s) => s.live?.ended ?? null);
	let key: MessageKey;
	switch (reason) {
		case 'ended': {
			key = ended ? `room.ended.${ended}` : 'room.ended.api';
			break;
		}
		case 'removed': {
			key = 'room.closed.removed';
			break;
		}
		case 'replaced': {
			key = 'room.closed.replaced';
			break;
		}
		case 'protocol': {
			key = 'room.closed.protocol';
			break;
		}
		default: {
			key = error ?? 'room.closed.failed';
		}
	}

	return (
		<div className="panel closed-notice" role="alert">
			<p>{t(key)}</p>
			<p className="closed-actions">
				{reason === 'protocol' ? (
					<button type="button" className="button button-primary" onClick={() => window.location.reload()}>
						{t('room.reload')}
					</button>
				) : reason === 'replaced' || reason === 'failed' ? (
					<button type="button" className="button button-primary" onClick={onRejoin}>
						{t('room.rejoin')}
					</button>
				) : null}
				<Link to="/">{t('roompage.backHome')}</Link>
			</p>
		</div>
	);
}

/** A room: details, then (live and joined) the stage, or Start for the host of a scheduled room. */
export function RoomPage({ roomId }: { roomId: string }) {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const checking = useAuthStore((s) => s.checking);
	const [room, setRoom] = useState<Room | null>(null);
	const [error, setError] = useState<MessageKey | null>(null);
	// The client lives in the tab's room session, not here: leaving this page keeps the room playing.
	const client = useRoomSession((s) => (s.client?.roomId === roomId ? s.client : null));
	const [starting, setStarting] = useState(false);
	const status = useRoomStore((s) => (s.roomId === roomId ? s.status : 'idle'));
	// Only this page's own client tells why it closed; one closed before the page opened is dropped below.
	const storedReason = useRoomStore((s) => (s.roomId === roomId ? s.closeReason : null));
	const closeReason = client ? storedReason : null;

	// Coming back to a room whose session closed (removed, replaced, ended) starts afresh: the server
	// says whether joining is possible now (a removal may have been lifted meanwhile).
	useEffect(() => {
		dropClosedSession(roomId);
	}, [roomId]);

	useEffect(() => {
		const controller = new AbortController();
		getRoom(roomId, controller.signal).then(setRoom, (e: Error) => {
			if (e.name !== 'AbortError') {
				setError(errorMessageKey(e));
			}
		});

		return () => controller.abort();
	}, [roomId]);

	const join = useCallback(() => {
		joinSession(roomId);
	}, [roomId]);

	// Arriving from a Join button on the home page joins right away (the click was the user gesture), and
	// so does a reload of a tab that was in the room moments ago: a reload is not a leave.
	useEffect(() => {
		if (room?.state === 'live' && user && !client && (consumeAutoJoin() || shouldResume(roomId))) {
			join();
		}
	}, [room, user, client, join, roomId]);

	// When the room ends while joined, show it as ended.
	useEffect(() => {
		if (closeReason === 'ended') {
			setRoom((r) => (r && r.state !== 'ended' ? { ...r, state: 'ended' } : r));
		}
	}, [closeReason]);

	async function onStart() {
		setStarting(true);
		try {
			const started = await startRoom(roomId);
			setRoom(started);
			join();
		} catch (e) {
			setError(errorMessageKey(e));
		} finally {
			setStarting(false);
		}
	}

	async function onLeave() {
		await leaveSession();
		navigate('/');
	}

	if (error && !room) {
		// A private room is hidden from people who are not logged in: it may be theirs to see after logging in.
		if (!user && !checking && error === 'error.notFound') {
			return (
				<div className="empty-page">
					<h1>{t('roompage.loginToSee')}</h1>
					<p>{t('roompage.loginToSeeLead')}</p>
					<p>
						<Link to={loginPath(`/rooms/${roomId}`)} className="button button-primary button-large">
							{t('nav.login')}
						</Link>
					</p>
				</div>
			);
		}

		return <PageError message={error} />;
	}
	if (!room) {
		return <PageLoading label="roompage.loading" />;
	}

	const isHost = user?.id === room.host.id;
	const joined = client !== null && status !== 'closed';
	// After a close the notice carries the one way back in (Join again, Reload), so no second Join.
	const closedWithNotice = client !== null && status === 'closed' && closeReason !== 'left';
	const removed = closeReason === 'removed';

	return (
		<div className="room-page">
			<RoomHeader room={room} />
			{error && (
				<p role="alert" className="notice notice-error">
					{t(error)}
				</p>
			)}
			{client && status === 'closed' && closeReason !== 'left' && <ClosedNotice onRejoin={join} />}
			{joined ? (
				<LiveRoom client={client} onLeave={onLeave} speakerGuest={room.myRole === 'speaker'} />
			) : room.state === 'live' && !closedWithNotice && closeReason !== 'ended' && !removed ? (
				<div className="panel join-panel">
					{user ? (
						<>
							<p>{t('roompage.joinLead')}</p>
							<button type="button" className="button button-primary button-large" onClick={join}>
								{t('roompage.join')}
							</button>
						</>
					) : room.visibility === 'public' ? (
						// Reach (issue 14): anyone with the link listens to a public room; an account adds the rest.
						!checking && (
							<>
								<p>{t('anon.lead')}</p>
								<div className="join-actions">
									<button type="button" className="button button-primary button-large" onClick={join}>
										{t('anon.listen')}
									</button>
									<Link to={loginPath(`/rooms/${room.id}`, 'signup')} className="button">
										{t('anon.signup')}
									</Link>
								</div>
							</>
						)
					) : (
						!checking && (
							<Link to={loginPath(`/rooms/${room.id}`)} className="button button-primary button-large">
								{t('roompage.loginToJoin')}
							</Link>
						)
					)}
				</div>
			) : room.state === 'scheduled' ? (
				<div className="panel join-panel">
					<p>
						{room.scheduledFor && Date.parse(room.scheduledFor) < Date.now()
							? t('roompage.waitingForHost')
							: t('roompage.notStarted')}
					</p>
					<RoomReminder roomId={room.id} />
					<SeriesPanel roomId={room.id} isHost={isHost} />
					{isHost && (
						<div className="join-actions">
							<button
								type="button"
								className="button button-primary button-large"
								disabled={starting}
								onClick={onStart}
							>
								{t('roompage.start')}
							</button>
							<Link to={`/rooms/${room.id}/edit`} className="button">
								{t('roompage.edit')}
							</Link>
						</div>
					)}
					{(isHost || room.myRole === 'cohost') && <RecordingSetting roomId={room.id} />}
				</div>
			) : room.state === 'ended' && !client ? (
				<div className="panel join-panel">
					<p>{t('roompage.ended')}</p>
					<Link to="/">{t('roompage.backHome')}</Link>
				</div>
			) : null}
			{room.state === 'ended' && (
				<div className="ended-extras">
					<ReplayLink roomId={room.id} className="button button-primary" />
					{(isHost || room.myRole === 'cohost' || room.myRole === 'moderator') && (
						<AnalyticsPanel roomId={room.id} />
					)}
				</div>
			)}
		</div>
	);
}
