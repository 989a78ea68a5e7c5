import type { Series } from '@majlis/protocol';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, ApiRequestError } from '../../api';
import { Link } from '../../app/Link';
import { useT } from '../../i18n';

/** The series of a room, or null when it does not repeat. */
export async function fetchSeries(roomId: string): Promise<Series | null> {
	try {
		return await api<Series>(`/api/rooms/${encodeURIComponent(roomId)}/series`);
	} catch (error) {
		if (error instanceof ApiRequestError && error.status === 404) {
			return null;
		}
		throw error;
	}
}

/** On a scheduled room: its series link, or (for the host) a form to make it repeat. */
export function SeriesPanel({ roomId, isHost }: { roomId: string; isHost: boolean }) {
	const t = useT();
	const id = useId();
	const [series, setSeries] = useState<Series | null | undefined>(undefined);
	const [everyDays, setEveryDays] = useState(7);
	const [ends, setEnds] = useState<'count' | 'until'>('count');
	const [count, setCount] = useState(4);
	const [until, setUntil] = useState('');
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [busy, setBusy] = useState(false);

	useEffect(() => {
		fetchSeries(roomId)
			.then(setSeries)
			.catch(() => setSeries(null));
	}, [roomId]);

	async function submit(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setErrors({});
		try {
			const body =
				ends === 'count'
					? { everyDays, count }
					: { everyDays, until: until ? new Date(until).toISOString() : null };
			setSeries(
				await api<Series>(`/api/rooms/${encodeURIComponent(roomId)}/series`, { method: 'PUT', body })
			);
		} catch (error) {
			setErrors(
				error instanceof ApiRequestError && Object.keys(error.fields).length > 0
					? error.fields
					: { form: t('notif.error') }
			);
		} finally {
			setBusy(false);
		}
	}

	if (series === undefined) {
		return null;
	}
	if (series) {
		return (
			<p className="series-link">
				{t('series.summary', { count: series.everyDays })} ·{' '}
				<Link to={`/rooms/${roomId}/series`}>{t('series.view')}</Link>
			</p>
		);
	}
	if (!isHost) {
		return null;
	}

	return (
		<details className="series-form">
			<summary>{t('series.repeat')}</summary>
			<form onSubmit={(e) => void submit(e)} noValidate>
				<label htmlFor={`${id}-every`}>{t('series.everyDays')}</label>
				<input
					id={`${id}-every`}
					type="number"
					min={1}
					max={365}
					value={everyDays}
					aria-invalid={errors.everyDays ? true : undefined}
					onChange={(e) => setEveryDays(Number(e.target.value))}
				/>
				<fieldset>
					<legend>{t('series.ends')}</legend>
					<label>
						<input
							type="radio"
							name={`${id}-ends`}
							checked={ends === 'count'}
							onChange={() => setEnds('count')}
						/>{' '}
						{t('series.afterCount')}
					</label>
					<label>
						<input
							type="radio"
							name={`${id}-ends`}
							checked={ends === 'until'}
							onChange={() => setEnds('until')}
						/>{' '}
						{t('series.onDate')}
					</label>
				</fieldset>
				{ends === 'count' ? (
					<>
						<label htmlFor={`${id}-count`}>{t('series.count')}</label>
						<input
							id={`${id}-count`}
							type="number"
							min={2}
							max={100}
							value={count}
							aria-invalid={errors.count ? true : undefined}
							aria-describedby={errors.count ? `${id}-error` : undefined}
							onChange={(e) => setCount(Number(e.target.value))}
						/>
					</>
				) : (
					<>
						<label htmlFor={`${id}-until`}>{t('series.until')}</label>
						<input
							id={`${id}-until`}
							type="date"
							value={until}
							aria-invalid={errors.until ? true : undefined}
							aria-describedby={errors.until ? `${id}-error` : undefined}
							onChange={(e) => setUntil(e.target.value)}
						/>
					</>
				)}
				{Object.keys(errors).length > 0 && (
					<p id={`${id}-error`} className="form-error" role="alert">
						{Object.values(errors)[0]}
					</p>
				)}
				<button type="submit" className="button" disabled={busy}>
					{t('series.submit')}
				</button>
			</form>
		</details>
	);
}
