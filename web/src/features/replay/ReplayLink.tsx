import type { RecordingView } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { Link } from '../../app/Link';
import { useT } from '../../i18n';
import { formatClock } from './duration';
import { listRecordings, pickReplay } from './replayApi';

/** "Replay (duration)" for a room that has a playable recording; nothing otherwise. */
export function ReplayLink({ roomId, className = 'button' }: { roomId: string; className?: string }) {
	const t = useT();
	const [recording, setRecording] = useState<RecordingView | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		listRecordings(roomId, controller.signal).then(
			(items) => setRecording(pickReplay(items)),
			() => undefined
		);

		return () => controller.abort();
	}, [roomId]);

	if (!recording?.audioUrl) {
		return null;
	}

	return (
		<Link to={`/rooms/${roomId}/replay`} className={className}>
			{t('replay.link', { duration: formatClock(recording.durationMs ?? 0) })}
		</Link>
	);
}
