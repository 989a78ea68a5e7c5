import { useEffect, useState } from 'react';
import { useT } from '../../../i18n';
import type { MediaStats } from '../lib/MediaSession';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/**
 * A disclosure with WebRTC counters (packets and bytes received, audio energy, packets sent). Useful
 * to people debugging "I can't hear anything", and readable by end-to-end tests by role and name.
 */
export function ConnectionDetails() {
	const t = useT();
	const client = useRoomClient();
	const status = useRoomStore((s) => s.status);
	const [open, setOpen] = useState(false);
	const [stats, setStats] = useState<MediaStats | null>(null);

	useEffect(() => {
		if (!open) {
			return;
		}
		let cancelled = false;
		const poll = () =>
			client.getStats().then(
				(s) => !cancelled && setStats(s),
				() => undefined
			);
		void poll();
		const timer = setInterval(poll, 1000);

		return () => {
			cancelled = true;
			clearInterval(timer);
		};
	}, [client, open]);

	const rows: [string, string][] = [
		[t('stats.status'), t(`stats.status.${status}`)],
		[t('stats.streams'), String(stats?.streams ?? 0)],
		[t('stats.packetsReceived'), String(stats?.packetsReceived ?? 0)],
		[t('stats.bytesReceived'), String(stats?.bytesReceived ?? 0)],
		[t('stats.energy'), (stats?.energy ?? 0).toFixed(6)],
		[t('stats.packetsSent'), String(stats?.packetsSent ?? 0)],
		[t('stats.bytesSent'), String(stats?.bytesSent ?? 0)],
	];

	return (
		<details className="panel details" onToggle={(e) => setOpen(e.currentTarget.open)}>
			<summary>{t('stats.title')}</summary>
			<table className="stats">
				<tbody>
					{rows.map(([label, value]) => (
						<tr key={label}>
							<th scope="row">{label}</th>
							<td dir="ltr">{value}</td>
						</tr>
					))}
				</tbody>
			</table>
		</details>
	);
}
