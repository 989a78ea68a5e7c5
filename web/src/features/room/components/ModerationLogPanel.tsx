import { canModerate, type ModerationAction, type ModerationEntry } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { type MessageKey, useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';
import { useSessionRequest } from '../useSessionRequest';

const ACTION_KEYS: Record<ModerationAction, MessageKey> = {
	mute: 'modlog.mute',
	muteAll: 'modlog.muteAll',
	moveToListeners: 'modlog.moveToListeners',
	remove: 'modlog.remove',
	ban: 'modlog.ban',
	unban: 'modlog.unban',
	chatDelete: 'modlog.chatDelete',
	chatMute: 'modlog.chatMute',
	chatUnmute: 'modlog.chatUnmute',
	roleChange: 'modlog.roleChange',
	end: 'modlog.end',
};

/** The region "Moderation log": every act in the room, live, for host, co-hosts and moderators. */
export function ModerationLogPanel() {
	const t = useT();
	const client = useRoomClient();
	const role = useRoomStore((s) => s.live?.self.role);
	const moderator = role ? canModerate(role) : false;
	const [entries, setEntries] = useState<ModerationEntry[]>([]);

	useSessionRequest('moderation:list', (reply) => setEntries(reply.entries), moderator);

	useEffect(
		() =>
			client.on('notification', (n) => {
				if (n.type === 'moderation:entry') {
					const entry = n.data as ModerationEntry;
					setEntries((list) => (list.some((e) => e.id === entry.id) ? list : [...list, entry]));
				}
			}),
		[client]
	);

	if (!moderator) {
		return null;
	}
	const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
	const someone = t('announce.someone');

	return (
		<section className="panel modlog" aria-labelledby="modlog-heading">
			<h2 id="modlog-heading" className="panel-title">
				{t('modlog.title')}
			</h2>
			{entries.length === 0 ? (
				<p className="empty">{t('modlog.empty')}</p>
			) : (
				<ol className="modlog-list">
					{[...entries].reverse().map((e) => (
						<li key={e.id} className="modlog-entry">
							<time dateTime={new Date(e.at).toISOString()}>{time.format(e.at)}</time>{' '}
							<bdi>{e.actor?.displayName || someone}</bdi> {t(ACTION_KEYS[e.action])}
							{e.target && (
								<>
									{' '}
									<bdi>{e.target.displayName || someone}</bdi>
								</>
							)}
							{e.detail && e.action === 'roleChange' && <> ({e.detail})</>}
							{e.reason && (
								<span className="modlog-reason">
									{' '}
									— <bdi dir="auto">{e.reason}</bdi>
								</span>
							)}
						</li>
					))}
				</ol>
			)}
		</section>
	);
}
