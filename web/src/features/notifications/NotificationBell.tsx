import { useEffect, useId, useRef, useState } from 'react';
import { Link } from '../../app/Link';
import { navigate } from '../../app/router';
import { BellIcon } from '../../components/icons';
import { formatDateTime, localeOf, useLangStore, useT } from '../../i18n';
import { notificationPath, notificationText } from './notificationText';
import { useNotificationsStore } from './useNotificationsStore';

/** A notification that just arrived, announced politely and shown until dismissed or opened. */
function FreshToast() {
	const t = useT();
	const fresh = useNotificationsStore((s) => s.fresh);
	const dismiss = useNotificationsStore((s) => s.dismiss);
	const read = useNotificationsStore((s) => s.read);

	return (
		<div className="notif-toast-region" role="status" aria-live="polite">
			{fresh && (
				<div className="notif-toast">
					<Link
						to={notificationPath(fresh)}
						onClick={() => {
							dismiss();
							void read(fresh.id).catch(() => undefined);
						}}
					>
						{notificationText(t, fresh)}
					</Link>
					<button
						type="button"
						className="button button-quiet"
						onClick={dismiss}
						aria-label={t('notif.dismiss')}
					>
						×
					</button>
				</div>
			)}
		</div>
	);
}

/** The header's bell: unread count, and a panel with the newest notifications; fed live by the stream. */
export function NotificationBell() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const { items, unread, start, readAll, read } = useNotificationsStore();
	const [open, setOpen] = useState(false);
	const panelId = useId();
	const wrapper = useRef<HTMLDivElement>(null);
	const button = useRef<HTMLButtonElement>(null);

	useEffect(() => start(), [start]);

	useEffect(() => {
		if (!open) {
			return;
		}
		const onKey = (event: KeyboardEvent) => {
			if (event.key === 'Escape') {
				setOpen(false);
				button.current?.focus();
			}
		};
		const onClick = (event: MouseEvent) => {
			if (!wrapper.current?.contains(event.target as Node)) {
				setOpen(false);
			}
		};
		document.addEventListener('keydown', onKey);
		document.addEventListener('mousedown', onClick);

		return () => {
			document.removeEventListener('keydown', onKey);
			document.removeEventListener('mousedown', onClick);
		};
	}, [open]);

	const label = unread > 0 ? t('notif.bellUnread', { count: unread }) : t('notif.bell');

	return (
		<div className="notif-bell" ref={wrapper}>
			<button
				ref={button}
				type="button"
				className="button button-quiet notif-bell-button"
				aria-expanded={open}
				aria-controls={panelId}
				aria-label={label}
				onClick={() => setOpen(!open)}
			>
				<BellIcon width="1.25em" height="1.25em" />
				{unread > 0 && (
					<span className="notif-badge" aria-hidden="true">
						{unread > 99 ? '99+' : new Intl.NumberFormat(localeOf(lang)).format(unread)}
					</span>
				)}
			</button>
			<div id={panelId} className="notif-panel" hidden={!open}>
				<div className="notif-panel-head">
					<h2>{t('notif.title')}</h2>
					{unread > 0 && (
						<button
							type="button"
							className="button button-quiet"
							onClick={() => void readAll().catch(() => undefined)}
						>
							{t('notif.markAllRead')}
						</button>
					)}
				</div>
				{items.length === 0 ? (
					<p className="muted">{t('notif.empty')}</p>
				) : (
					<ul className="notif-list">
						{items.slice(0, 8).map((n) => (
							<li key={n.id} className={n.read ? 'notif-item' : 'notif-item notif-unread'}>
								<a
									href={notificationPath(n)}
									onClick={(event) => {
										event.preventDefault();
										setOpen(false);
										if (!n.read) {
											void read(n.id).catch(() => undefined);
										}
										navigate(notificationPath(n));
									}}
								>
									{!n.read && <span className="sr-only">{t('notif.unread')}: </span>}
									<bdi>{notificationText(t, n)}</bdi>
									<time dateTime={n.createdAt} className="muted">
										{formatDateTime(lang, n.createdAt)}
									</time>
								</a>
							</li>
						))}
					</ul>
				)}
				<Link to="/notifications" onClick={() => setOpen(false)}>
					{t('notif.seeAll')}
				</Link>
			</div>
			<FreshToast />
		</div>
	);
}
