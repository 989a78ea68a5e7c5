import type { Series } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { Link } from '../../app/Link';
import { formatDateTime, useLangStore, useT } from '../../i18n';
import { fetchSeries } from './SeriesPanel';

/** `/rooms/:id/series`: every occurrence of the room's series so far, and the next one. */
export function SeriesPage({ roomId }: { roomId: string }) {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const [series, setSeries] = useState<Series | null | undefined>(undefined);

	useEffect(() => {
		fetchSeries(roomId)
			.then(setSeries)
			.catch(() => setSeries(null));
	}, [roomId]);

	return (
		<div className="page series-page">
			<h1>{t('series.title')}</h1>
			{series === null && <p role="alert">{t('series.none')}</p>}
			{series && (
				<>
					<p>{t('series.summary', { count: series.everyDays })}</p>
					<ol className="series-list">
						{series.occurrences.map((o) => (
							<li key={o.id}>
								<Link to={`/rooms/${o.id}`}>
									<bdi>{o.title}</bdi>
								</Link>{' '}
								<span className="muted">
									{o.scheduledFor ? formatDateTime(lang, o.scheduledFor) : ''} ·{' '}
									{t(`series.state.${o.state}`)}
								</span>
							</li>
						))}
					</ol>
				</>
			)}
		</div>
	);
}
