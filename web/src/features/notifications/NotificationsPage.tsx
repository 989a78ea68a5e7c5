import { useEffect } from 'react';
import { Link } from '../../app/Link';
import { loginPath } from '../../app/router';
import { formatDateTime, useLangStore, useT } from '../../i18n';
import { useAuthStore } from '../auth/useAuthStore';
import { CalendarFeedSetting, PreferencesTable, PushSetting } from './NotificationSettings';
import { notificationPath, notificationText } from './notificationText';
import { useNotificationsStore } from './useNotificationsStore';

/** `/notifications`: every recent notification, the per-kind choices, push on this device, the calendar feed. */
export function NotificationsPage() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const user = useAuthStore((s) => s.user);
	const checking = useAuthStore((s) => s.checking);
	const { items, unread, load, read, readAll } = useNotificationsStore();

	useEffect(() => {
		if (user) {
			void load();
		}
	}, [user, load]);

	if (!user) {
		return checking ? null : (
			<div className="page">
				<h1>{t('notif.title')}</h1>
				<Link to={loginPath('/notifications')} className="button button-primary">
					{t('nav.login')}
				</Link>
			</div>
		);
	}

	return (
		<div className="page notif-page">
			<h1>{t('notif.title')}</h1>
			<section className="panel" aria-label={t('notif.title')}>
				{unread > 0 && (
					<button type="button" className="button" onClick={() => void readAll().catch(() => undefined)}>
						{t('notif.markAllRead')}
					</button>
				)}
				{items.length === 0 ? (
					<p className="muted">{t('notif.empty')}</p>
				) : (
					<ul className="notif-list">
						{items.map((n) => (
							<li key={n.id} className={n.read ? 'notif-item' : 'notif-item notif-unread'}>
								<Link
									to={notificationPath(n)}
									onClick={() => !n.read && void read(n.id).catch(() => undefined)}
								>
									{!n.read && <span className="sr-only">{t('notif.unread')}: </span>}
									<bdi>{notificationText(t, n)}</bdi>
									<time dateTime={n.createdAt} className="muted">
										{formatDateTime(lang, n.createdAt)}
									</time>
								</Link>
							</li>
						))}
					</ul>
				)}
			</section>
			<PreferencesTable />
			<PushSetting />
			<CalendarFeedSetting />
		</div>
	);
}
