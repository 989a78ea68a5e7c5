import { useId, useState } from 'react';
import { useT } from '../i18n';
import { LinkIcon } from './icons';

/** The room's URL in a read-only field with a copy button. */
export function ShareLink({ path }: { path: string }) {
	const t = useT();
	const id = useId();
	const [copied, setCopied] = useState(false);
	const url = new URL(path, window.location.origin).toString();

	async function copy() {
		try {
			await navigator.clipboard.writeText(url);
		} catch {
			// Clipboard API missing (plain http) or denied: select the text so Ctrl+C works.
			const input = document.getElementById(id) as HTMLInputElement | null;
			input?.select();
			document.execCommand?.('copy');
		}
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
			</div>
			<span role="status" className="share-status">
				{copied ? t('room.copied') : ''}
			</span>
		</div>
	);
}
