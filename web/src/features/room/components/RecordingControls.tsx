import { useState } from 'react';
import { errorMessageKey } from '../../../app/errorMessage';
import { formatTime, type MessageKey, useLangStore, useT } from '../../../i18n';
import { useRecordingEnabled } from '../../replay/useRecordingEnabled';
import { useRoomClient } from '../RoomClientContext';
import { useRoomStore } from '../stores/useRoomStore';

/**
 * The "Recording" badge everyone sees while the room is recorded (late joiners too, from the snapshot),
 * and for the host and co-hosts of a room scheduled with recording on, Start / Stop recording. The live
 * region says when it starts and stops (room state announcements).
 */
export function RecordingControls() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const client = useRoomClient();
	const recording = useRoomStore((s) => s.live?.recording ?? null);
	const role = useRoomStore((s) => s.live?.self.role ?? null);
	const mayRecord = role === 'host' || role === 'cohost';
	const enabled = useRecordingEnabled(mayRecord ? client.roomId : null);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<MessageKey | null>(null);

	async function act(type: 'recording:start' | 'recording:stop') {
		setBusy(true);
		setError(null);
		try {
			await client.request(type, {});
		} catch (e) {
			setError(errorMessageKey(e));
		} finally {
			setBusy(false);
		}
	}

	if (!recording && !(mayRecord && enabled)) {
		return null;
	}

	return (
		<div className="recording-controls">
			{recording && (
				<span
					className="badge badge-recording"
					title={t('recording.since', { time: formatTime(lang, recording.startedAt) })}
				>
					<span className="recording-dot" aria-hidden="true" />
					{t('recording.badge')}
				</span>
			)}
			{mayRecord && (enabled || recording) && (
				<button
					type="button"
					className={recording ? 'button button-small button-danger-quiet' : 'button button-small'}
					disabled={busy}
					onClick={() => void act(recording ? 'recording:stop' : 'recording:start')}
				>
					{t(recording ? 'recording.stop' : 'recording.start')}
				</button>
			)}
			{error && (
				<span role="alert" className="recording-error">
					{t(error)}
				</span>
			)}
		</div>
	);
}
