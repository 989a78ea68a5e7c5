import { canModerate, type NotificationData } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { useT } from '../../../i18n';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/**
 * For the host, co-hosts and moderators: how many listeners say their connection is poor (the server
 * counts the clients' periodic reports and sends staff `quality:poor`). Nothing while none are.
 */
export function PoorConnections() {
	const t = useT();
	const client = useRoomClient();
	const moderator = useRoomStore((s) => (s.live ? canModerate(s.live.self.role) : false));
	const [count, setCount] = useState(0);

	useEffect(
		() =>
			client.on('notification', (n) => {
				if (n.type === 'quality:poor') {
					setCount((n.data as NotificationData<'quality:poor'>).count);
				}
			}),
		[client]
	);

	return (
		<p className="poor-connections" role="status">
			{moderator && count > 0 ? t('quality.poorListeners', { count }) : ''}
		</p>
	);
}
