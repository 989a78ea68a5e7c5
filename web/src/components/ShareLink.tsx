import { type ReactNode, useId, useState } from 'react';
import { useT } from '../i18n';
import { copyText } from './copyText';
import { LinkIcon } from './icons';

/** The room's URL in a read-only field with a copy button, and `more` ways to share after it (Embed). */
export function ShareLink({ path, more }: { path: string; more?: ReactNode }) {
	const t = useT();
	const id = useId();
	const [copied, setCopied] = useState(false);
	const url = new URL(path, window.location.origin).toString();

	async function copy() {
		await copyText(url, document.getElementById(id) as HTMLInputElement | null);
		setCopied(true);
		setTimeout(() => setCopied(false), 2500);
	}

	return (
		<div className="share">
			<label htmlFor={id} className="share-label">
				<LinkIcon /> {t('room.shareLink')}
			</label>
			<div className="share-row">
				<input id={id} readOnly value={url} dir="ltr" onFocus={(e) => e.currentTarget.select()} />
				<button type="button" className="button" onClick={copy}>
					{t('room.copy')}
				</button>
				{more}
			</div>
			<span role="status" className="share-status">
				{copied ? t('room.copied') : ''}
			</span>
		</div>
	);
}
