import { useEffect, useId, useState } from 'react';
import { errorMessageKey } from '../../app/errorMessage';
import { type MessageKey, useT } from '../../i18n';
import { getRecordingSetting, setRecordingSetting } from './replayApi';
import { forgetRecordingEnabled } from './useRecordingEnabled';

/** The host's (and co-hosts') switch on a scheduled room: record it or not; editable until it starts. */
export function RecordingSetting({ roomId }: { roomId: string }) {
	const t = useT();
	const id = useId();
	const [enabled, setEnabled] = useState<boolean | null>(null);
	const [saving, setSaving] = useState(false);
	const [status, setStatus] = useState<MessageKey | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		getRecordingSetting(roomId, controller.signal).then(setEnabled, () => undefined);

		return () => controller.abort();
	}, [roomId]);

	async function change(next: boolean) {
		// The box follows the click at once (as a checkbox does) and goes back if the API refuses.
		setEnabled(next);
		setSaving(true);
		setStatus(null);
		try {
			setEnabled(await setRecordingSetting(roomId, next));
			forgetRecordingEnabled(roomId);
			setStatus('recording.settingSaved');
		} catch (e) {
			setEnabled(!next);
			setStatus(errorMessageKey(e));
		} finally {
			setSaving(false);
		}
	}

	if (enabled === null) {
		return null;
	}

	return (
		<div className="recording-setting">
			<input
				id={id}
				type="checkbox"
				checked={enabled}
				disabled={saving}
				aria-describedby={`${id}-help`}
				onChange={(e) => void change(e.target.checked)}
			/>
			<label htmlFor={id}>{t('recording.setting')}</label>
			<p id={`${id}-help`} className="muted">
				{t('recording.settingHelp')}
			</p>
			<p role="status" className="recording-setting-status">
				{status ? t(status) : ''}
			</p>
		</div>
	);
}
