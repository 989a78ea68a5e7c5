import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n';

/**
 * A secret shown once (a new API token or webhook secret): read-only, selected for copying, with a copy
 * button and the warning that it will not be shown again. Focus moves to it so it is announced.
 */
export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone(): void }) {
	const t = useT();
	const ref = useRef<HTMLInputElement>(null);
	const [copied, setCopied] = useState(false);

	useEffect(() => {
		ref.current?.focus();
		ref.current?.select();
	}, []);

	return (
		<div className="secret-once card" role="status">
			<label className="field-label" htmlFor={`secret-${label}`}>
				{label}
			</label>
			<p className="field-hint">{t('integrations.shownOnce')}</p>
			<input
				ref={ref}
				id={`secret-${label}`}
				className="secret-value"
				dir="ltr"
				readOnly
				value={value}
				onFocus={(e) => e.currentTarget.select()}
			/>
			<p className="form-actions">
				<button
					type="button"
					className="button button-small"
					onClick={() => {
						void navigator.clipboard?.writeText(value).then(() => setCopied(true));
					}}
				>
					{copied ? t('integrations.copied') : t('integrations.copy')}
				</button>
				<button type="button" className="button button-small button-quiet" onClick={onDone}>
					{t('integrations.done')}
				</button>
			</p>
		</div>
	);
}
