import { useT } from '../../i18n';
import { Link } from '../Link';

/** Shown for unknown paths. */
export function NotFoundPage() {
	const t = useT();

	return (
		<div className="empty-page">
			<h1>{t('error.notFound')}</h1>
			<p>
				<Link to="/">{t('roompage.backHome')}</Link>
			</p>
		</div>
	);
}
