import { Link } from '../../../app/Link';
import { navigate, useRoute } from '../../../app/router';
import { Avatar } from '../../../components/Avatar';
import { MicIcon, MicOffIcon } from '../../../components/icons';
import { useT } from '../../../i18n';
import { leaveSession, useRoomSession } from '../roomSession';
import { useRoomStore } from '../stores/useRoomStore';
import { LeaveControl } from './LeaveControl';

/**
 * The room keeps playing while the person browses: a bar docked at the bottom of every other page with
 * the room's title (back to the room), who is speaking, and mute and leave.
 */
export function MiniPlayer() {
	const t = useT();
	const route = useRoute();
	const client = useRoomSession((s) => s.client);
	const status = useRoomStore((s) => s.status);
	const live = useRoomStore((s) => s.live);
	if (!client || !live || status === 'closed' || status === 'idle') {
		return null;
	}
	if (route.name === 'room' && route.id === client.roomId) {
		return null;
	}
	const speaker = live.stage.find((m) => m.userId === live.speaking[0]) ?? null;
	const self = live.self;
	const roomPath = `/rooms/${client.roomId}`;

	return (
		<section className="mini-player" aria-label={t('mini.label')}>
			<span className="mini-speaker">
				{speaker ? (
					<>
						<Avatar id={speaker.userId} name={speaker.displayName} speaking />
						<span className="sr-only">{t('mini.speaking', { name: speaker.displayName })}</span>
					</>
				) : (
					<span className="live-dot" aria-hidden="true" />
				)}
			</span>
			<span className="mini-text">
				<Link to={roomPath} className="mini-title" dir="auto">
					{live.room.title}
				</Link>
				<span className="mini-meta" aria-hidden={speaker ? undefined : true}>
					{speaker ? (
						<bdi>{speaker.displayName}</bdi>
					) : (
						t('room.listenerCount', { count: live.listenerCount })
					)}
				</span>
			</span>
			<span className="mini-actions">
				{self.onStage && (
					<button
						type="button"
						className={`button button-small${self.muted ? '' : ' button-live'}`}
						onClick={() => void (self.muted ? client.unmute() : client.mute())}
					>
						{self.muted ? <MicOffIcon /> : <MicIcon />}
						<span>{self.muted ? t('room.unmute') : t('room.mute')}</span>
					</button>
				)}
				<LeaveControl
					client={client}
					className="button button-quiet button-small"
					onLeave={() => {
						void leaveSession();
						if (route.name === 'room') {
							navigate('/');
						}
					}}
				/>
			</span>
		</section>
	);
}
