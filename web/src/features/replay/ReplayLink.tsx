import type { RecordingView } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { Link } from '../../app/Link';
import { useT } from '../../i18n';
import { formatClock } from './duration';
import { listRecordings, pickReplay } from './replayApi';

// How often a replay being mixed is looked at again (a few seconds for an hour of speech).
const PROCESSING_POLL_MS = 5000;

/**
 * "Replay (duration)" for a room that has a playable recording; "Replay: processing…" while its latest
 * recording is being mixed (looked at again until it is ready); nothing otherwise.
 */
export function ReplayLink({ roomId, className = 'button' }: { roomId: string; className?: string }) {
	const t = useT();
	const [recording, setRecording] = useState<RecordingView | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const load = () =>
			listRecordings(roomId, controller.signal).then(
				(items) => {
					const latest = pickReplay(items);
					setRecording(latest);
					if (latest?.state === 'processing') {
						timer = setTimeout(load, PROCESSING_POLL_MS);
					}
				},
				() => undefined
			);
		void load();

		return () => {
			controller.abort();
			clearTimeout(timer);
		};
	}, [roomId]);

	if (recording?.state === 'processing' && !recording.audioUrl) {
		return (
			<span className="meta replay-processing" role="status">
				{t('replay.processingShort')}
			</span>
		);
	}
	if (!recording?.audioUrl) {
		return null;
	}

	return (
		<Link to={`/rooms/${roomId}/replay`} className={className}>
			{t('replay.link', { duration: formatClock(recording.durationMs ?? 0) })}
		</Link>
	);
}
