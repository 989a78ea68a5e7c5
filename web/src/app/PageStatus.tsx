import { type MessageKey, useT } from '../i18n';
import { Link } from './Link';

/** A page that could not be shown: what went wrong, and the way home. */
export function PageError({ message }: { message: MessageKey }) {
	const t = useT();

	return (
		<div className="empty-page">
			<h1>{t(message)}</h1>
			<p>
				<Link to="/">{t('roompage.backHome')}</Link>
			</p>
		</div>
	);
}

/** A page still loading, announced politely to screen readers. */
export function PageLoading({ label }: { label: MessageKey }) {
	const t = useT();

	return (
		<p className="muted" role="status">
			{t(label)}
		</p>
	);
}
