import type { Room } from '@majlis/protocol';
import { useEffect, useState } from 'react';
import { formatClock } from '../../features/replay/duration';
import { ReplayPlayer } from '../../features/replay/ReplayPlayer';
import { loadReplay, type Replay } from '../../features/replay/replayApi';
import { getRoom } from '../../features/rooms/roomsApi';
import { formatDateTime, type MessageKey, useLangStore, useT } from '../../i18n';
import { errorMessageKey } from '../errorMessage';
import { Link } from '../Link';
import { PageError, PageLoading } from '../PageStatus';

interface Loaded extends Replay {
	room: Room;
}

/** `/rooms/:id/replay`: the room's latest recording with its player, waveform and speaker timeline. */
export function ReplayPage({ roomId }: { roomId: string }) {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const [loaded, setLoaded] = useState<Loaded | null>(null);
	const [error, setError] = useState<MessageKey | null>(null);

	useEffect(() => {
		const controller = new AbortController();
		const { signal } = controller;
		(async () => {
			const [room, replay] = await Promise.all([getRoom(roomId, signal), loadReplay(roomId, signal)]);
			setLoaded({ room, ...replay });
		})().catch((e: Error) => {
			if (e.name !== 'AbortError') {
				setError(errorMessageKey(e));
			}
		});

		return () => controller.abort();
	}, [roomId]);

	if (error) {
		return <PageError message={error} />;
	}
	if (!loaded) {
		return <PageLoading label="replay.loading" />;
	}

	const { room, recording, timeline, peaks } = loaded;
	const notice: MessageKey | null = !recording
		? 'replay.none'
		: recording.state === 'recording' || recording.state === 'processing'
			? 'replay.processing'
			: recording.state === 'failed'
				? 'replay.failed'
				: recording.state === 'partial'
					? 'replay.partial'
					: null;

	return (
		<div className="replay-page">
			<header className="room-header">
				<div className="room-header-main">
					<p className="replay-kicker">{t('replay.heading')}</p>
					<h1 className="room-title" dir="auto">
						{room.title}
					</h1>
					{recording && (
						<p className="meta">
							{formatDateTime(lang, recording.startedAt)}
							{recording.durationMs !== null && (
								<>
									{' · '}
									<span dir="ltr">{formatClock(recording.durationMs)}</span>
								</>
							)}
						</p>
					)}
				</div>
				<Link to={`/rooms/${room.id}`}>{t('replay.backToRoom')}</Link>
			</header>
			{notice && (
				<p className={recording?.state === 'failed' ? 'notice notice-error' : 'notice'} role="status">
					{t(notice)}
				</p>
			)}
			{recording?.audioUrl && (
				<ReplayPlayer
					audioUrl={recording.audioUrl}
					durationMs={recording.durationMs ?? timeline?.durationMs ?? 0}
					timeline={timeline}
					peaks={peaks}
				/>
			)}
		</div>
	);
}
