import { canModerate, type Report } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { useT } from '../../../i18n';
import { listRoomReports } from '../moderationApi';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/** The room's reports, live, for host, co-hosts and moderators. */
export function ReportQueue() {
	const t = useT();
	const client = useRoomClient();
	const role = useRoomStore((s) => s.live?.self.role);
	const moderator = role ? canModerate(role) : false;
	const [items, setItems] = useState<Report[]>([]);

	useEffect(() => {
		if (!moderator) {
			return;
		}
		const controller = new AbortController();
		listRoomReports(client.roomId, controller.signal).then(setItems, () => undefined);

		return () => controller.abort();
	}, [client, moderator]);

	useEffect(
		() =>
			client.on('notification', (n) => {
				if (n.type === 'report:new') {
					const item = n.data as Report;
					setItems((list) => (list.some((r) => r.id === item.id) ? list : [...list, item]));
				}
			}),
		[client]
	);

	if (!moderator) {
		return null;
	}

	return (
		<section className="panel reports" aria-labelledby="reports-heading">
			<h2 id="reports-heading" className="panel-title">
				{t('report.queue')} {items.length > 0 && <span className="count">{items.length}</span>}
			</h2>
			{items.length === 0 ? (
				<p className="empty">{t('report.queueEmpty')}</p>
			) : (
				<ol className="report-list">
					{items.map((r) => (
						<li key={r.id} className="report-item">
							<bdi>{r.reporter.displayName}</bdi> → <bdi>{r.target.displayName}</bdi>:{' '}
							<bdi dir="auto">{r.reason}</bdi>
							{r.messageText && (
								<blockquote className="report-message">
									<bdi dir="auto">{r.messageText}</bdi>
								</blockquote>
							)}
						</li>
					))}
				</ol>
			)}
		</section>
	);
}
