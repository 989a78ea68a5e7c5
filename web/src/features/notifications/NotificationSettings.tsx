import { NOTIFICATION_KINDS, type NotificationPreference } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { useT } from '../../i18n';
import { fetchCalendarFeed, fetchPreferences, revokeCalendarFeed, savePreferences } from './notificationsApi';
import { usePush } from './usePush';

/** Per-kind choices: in Majlis and by push. */
export function PreferencesTable() {
	const t = useT();
	const [prefs, setPrefs] = useState<NotificationPreference[] | null>(null);
	const [note, setNote] = useState('');

	useEffect(() => {
		fetchPreferences()
			.then(setPrefs)
			.catch(() => setNote(t('notif.error')));
	}, [t]);

	async function change(next: NotificationPreference) {
		setPrefs((all) => all?.map((p) => (p.kind === next.kind ? next : p)) ?? null);
		try {
			setPrefs(await savePreferences([next]));
			setNote(t('notif.prefs.saved'));
		} catch {
			setNote(t('notif.error'));
		}
	}

	return (
		<section className="panel" aria-labelledby="notif-prefs-title">
			<h2 id="notif-prefs-title">{t('notif.prefs.title')}</h2>
			{prefs && (
				<table className="notif-prefs">
					<thead>
						<tr>
							<th scope="col">{t('notif.prefs.kind')}</th>
							<th scope="col">{t('notif.prefs.inApp')}</th>
							<th scope="col">{t('notif.prefs.push')}</th>
						</tr>
					</thead>
					<tbody>
						{NOTIFICATION_KINDS.map((kind) => {
							const p = prefs.find((x) => x.kind === kind) ?? { kind, inApp: true, push: true };
							const label = t(`notif.prefs.label.${kind}`);

							return (
								<tr key={kind}>
									<th scope="row">{label}</th>
									<td>
										<input
											type="checkbox"
											checked={p.inApp}
											aria-label={`${label}: ${t('notif.prefs.inApp')}`}
											onChange={(e) => void change({ ...p, inApp: e.target.checked })}
										/>
									</td>
									<td>
										<input
											type="checkbox"
											checked={p.push}
											aria-label={`${label}: ${t('notif.prefs.push')}`}
											onChange={(e) => void change({ ...p, push: e.target.checked })}
										/>
									</td>
								</tr>
							);
						})}
					</tbody>
				</table>
			)}
			<p className="muted" role="status">
				{note}
			</p>
		</section>
	);
}

// A setting's actions: each clears the last failure, and a failure shows one alert until the next try.
function useAttempt() {
	const t = useT();
	const [failed, setFailed] = useState(false);

	return {
		run(action: () => Promise<void>): void {
			setFailed(false);
			action().catch(() => setFailed(true));
		},
		alert: failed && (
			<p className="form-error" role="alert">
				{t('notif.error')}
			</p>
		),
	};
}

/** Turning Web Push on or off for this browser. */
export function PushSetting() {
	const t = useT();
	const { status, enable, disable } = usePush();
	const { run, alert } = useAttempt();

	return (
		<section className="panel" aria-labelledby="notif-push-title">
			<h2 id="notif-push-title">{t('notif.push.title')}</h2>
			<p>{t('notif.push.lead')}</p>
			{status === 'unsupported' && <p className="muted">{t('notif.push.unsupported')}</p>}
			{status === 'off-server' && <p className="muted">{t('notif.push.off')}</p>}
			{status === 'denied' && <p className="muted">{t('notif.push.denied')}</p>}
			{status === 'on' && (
				<>
					<p>{t('notif.push.on')}</p>
					<button type="button" className="button" onClick={() => run(disable)}>
						{t('notif.push.disable')}
					</button>
				</>
			)}
			{status === 'off' && (
				<button type="button" className="button button-primary" onClick={() => run(enable)}>
					{t('notif.push.enable')}
				</button>
			)}
			{alert}
		</section>
	);
}

/** The personal calendar feed's secret link: show, replace, revoke. */
export function CalendarFeedSetting() {
	const t = useT();
	const [url, setUrl] = useState<string | null>(null);
	const { run, alert } = useAttempt();

	return (
		<section className="panel" aria-labelledby="notif-calendar-title">
			<h2 id="notif-calendar-title">{t('notif.calendar.title')}</h2>
			<p>{t('notif.calendar.lead')}</p>
			{url ? (
				<>
					<label className="field">
						<span>{t('notif.calendar.url')}</span>
						<input type="text" readOnly value={url} dir="ltr" onFocus={(e) => e.target.select()} />
					</label>
					<p className="join-actions">
						<button
							type="button"
							className="button"
							onClick={() => run(async () => setUrl((await fetchCalendarFeed(true)).url))}
						>
							{t('notif.calendar.rotate')}
						</button>
						<button
							type="button"
							className="button button-quiet"
							onClick={() =>
								run(async () => {
									await revokeCalendarFeed();
									setUrl(null);
								})
							}
						>
							{t('notif.calendar.revoke')}
						</button>
					</p>
				</>
			) : (
				<button
					type="button"
					className="button"
					onClick={() => run(async () => setUrl((await fetchCalendarFeed()).url))}
				>
					{t('notif.calendar.show')}
				</button>
			)}
			{alert}
		</section>
	);
}
