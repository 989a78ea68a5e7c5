import { useEffect, useId, useState } from 'react';
import { useT } from '../../../i18n';
import type { MediaStats } from '../lib/MediaSession';
import { readForceRelay, writeForceRelay } from '../lib/relayPreference';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/**
 * A disclosure with WebRTC counters (packets and bytes received, audio energy, packets sent) and the
 * media route (direct or through the TURN relay), with the "always use the relay" choice. Useful to
 * people debugging "I can't hear anything", and readable by end-to-end tests by role and name.
 */
export function ConnectionDetails() {
	const t = useT();
	const client = useRoomClient();
	const status = useRoomStore((s) => s.status);
	const [open, setOpen] = useState(false);
	const [stats, setStats] = useState<MediaStats | null>(null);
	const [forceRelay, setForceRelay] = useState(readForceRelay);
	const relayHintId = useId();

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
		[t('stats.route'), t(`stats.route.${stats?.route ?? 'none'}`)],
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
			<label className="field-check">
				<input
					type="checkbox"
					checked={forceRelay}
					aria-describedby={relayHintId}
					onChange={(e) => {
						writeForceRelay(e.target.checked);
						setForceRelay(e.target.checked);
					}}
				/>{' '}
				{t('stats.forceRelay')}
			</label>
			<p id={relayHintId} className="muted">
				{t('stats.forceRelay.hint')}
			</p>
		</details>
	);
}
