import type { Report } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { listAllReports, resolveReport } from '../../features/room/moderationApi';
import { useT } from '../../i18n';

/**
 * The deployment admins' global report queue (`/admin/reports`): every open report with its reason and
 * the reported message, and the actions "Dismiss" and "Suspend account" (a suspended account cannot log
 * in or join, and its live sessions close).
 */
export function AdminReportsPage() {
	const t = useT();
	const [items, setItems] = useState<Report[] | null>(null);
	const [refused, setRefused] = useState(false);
	const [error, setError] = useState(false);

	useEffect(() => {
		const controller = new AbortController();
		listAllReports(controller.signal).then(setItems, (e: { status?: number }) => {
			if (e.status === 403 || e.status === 401) {
				setRefused(true);
			} else if ((e as Error).name !== 'AbortError') {
				setError(true);
			}
		});

		return () => controller.abort();
	}, []);

	async function act(report: Report, action: 'dismiss' | 'suspend') {
		try {
			await resolveReport(report.id, action);
			setItems((list) => list?.filter((r) => r.id !== report.id) ?? null);
		} catch {
			setError(true);
		}
	}

	return (
		<div className="admin-reports">
			<h1>{t('admin.title')}</h1>
			{refused && <p role="alert">{t('admin.onlyAdmins')}</p>}
			{error && (
				<p className="form-error" role="alert">
					{t('error.generic')}
				</p>
			)}
			{items?.length === 0 && <p className="empty">{t('report.queueEmpty')}</p>}
			{items && items.length > 0 && (
				<ol className="report-list admin-report-list">
					{items.map((r) => (
						<li key={r.id} className="report-item card" aria-label={r.target.displayName}>
							<p>
								<bdi>{r.reporter.displayName}</bdi> → <bdi>{r.target.displayName}</bdi>{' '}
								<span className="handle" dir="ltr">
									@{r.target.handle}
								</span>
								: <bdi dir="auto">{r.reason}</bdi>
							</p>
							{r.messageText && (
								<blockquote className="report-message">
									<bdi dir="auto">{r.messageText}</bdi>
								</blockquote>
							)}
							<p className="form-actions">
								<button type="button" className="button button-small" onClick={() => void act(r, 'dismiss')}>
									{t('admin.dismiss')}
								</button>
								<button
									type="button"
									className="button button-small button-danger"
									onClick={() => void act(r, 'suspend')}
								>
									{t('admin.suspend')}
								</button>
							</p>
						</li>
					))}
				</ol>
			)}
		</div>
	);
}
