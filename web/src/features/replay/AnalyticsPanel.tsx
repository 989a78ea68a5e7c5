import type { RoomAnalytics } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { useT } from '../../i18n';
import { formatClock } from './duration';
import { getAnalytics } from './replayApi';

/** An ended room's figures for its host, co-hosts and moderators (nothing shown if the API refuses). */
export function AnalyticsPanel({ roomId }: { roomId: string }) {
	const t = useT();
	const [figures, setFigures] = useState<RoomAnalytics | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		getAnalytics(roomId, controller.signal).then(setFigures, () => undefined);

		return () => controller.abort();
	}, [roomId]);

	if (!figures) {
		return null;
	}
	const numbers: [string, string][] = [
		[t('analytics.duration'), formatClock(figures.durationMs)],
		[t('analytics.peak'), String(figures.peakListeners)],
		[t('analytics.unique'), String(figures.uniqueListeners)],
		[t('analytics.handRaises'), String(figures.handRaises)],
		[t('analytics.plays'), String(figures.replayPlays)],
	];

	return (
		<section className="panel analytics-panel" aria-labelledby="analytics-title">
			<h2 id="analytics-title" className="panel-title">
				{t('analytics.title')}
			</h2>
			<dl className="analytics-figures">
				{numbers.map(([label, value]) => (
					<div key={label}>
						<dt>{label}</dt>
						<dd dir="ltr">{value}</dd>
					</div>
				))}
			</dl>
			<h3 className="analytics-subtitle">{t('analytics.speakingTime')}</h3>
			{figures.speakers.length === 0 ? (
				<p className="muted">{t('analytics.nobodySpoke')}</p>
			) : (
				<table className="analytics-speakers">
					<thead>
						<tr>
							<th scope="col">{t('analytics.speaker')}</th>
							<th scope="col">{t('analytics.time')}</th>
						</tr>
					</thead>
					<tbody>
						{figures.speakers.map((s) => (
							<tr key={s.userId}>
								<td>
									<bdi>{s.displayName ?? t('analytics.unknownUser')}</bdi>
								</td>
								<td dir="ltr">{formatClock(s.speakingMs)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</section>
	);
}
