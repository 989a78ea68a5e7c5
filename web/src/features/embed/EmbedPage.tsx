import type { Room, UserSummary } from '@majlis/protocol';
import { useCallback, useEffect, useState } from 'react';
import { errorMessageKey } from '../../app/errorMessage';
import { CalendarIcon, UsersIcon, VolumeIcon } from '../../components/icons';
import { formatDateTime, type MessageKey, useLangStore, useT } from '../../i18n';
import { Trans } from '../../i18n/Trans';
import { ReplayPlayer } from '../replay/ReplayPlayer';
import { loadReplay, type Replay } from '../replay/replayApi';
import { joinSession } from '../room/joinRoomSession';
import { leaveSession, useRoomSession } from '../room/roomSession';
import { useAudioStore } from '../room/stores/useAudioStore';
import { useRoomStore } from '../room/stores/useRoomStore';
import { getRoom } from '../rooms/roomsApi';
import { EmbedSpeakers } from './EmbedSpeakers';
import './embed.css';

// A room not joined yet is looked at again now and then: a scheduled one may go live, a live one end.
const REFRESH_MS = 20_000;
// A recording still being mixed when the room ended is looked for again, so its replay appears by itself.
const REPLAY_REFRESH_MS = 10_000;

function StateBadge({ state }: { state: Room['state'] }) {
	const t = useT();
	if (state === 'live') {
		return <span className="badge badge-live">{t('card.live')}</span>;
	}

	return <span className="badge">{t(state === 'scheduled' ? 'embed.scheduled' : 'embed.ended')}</span>;
}

/** "Open in Majlis": the full room in a new tab (sign in, raise a hand, chat). */
function OpenLink({ roomId }: { roomId: string }) {
	const t = useT();

	return (
		<a className="embed-open" href={`/rooms/${encodeURIComponent(roomId)}`} target="_blank" rel="noopener">
			{t('embed.open')}
			<span className="sr-only"> {t('embed.newTab')}</span>
		</a>
	);
}

/** Who hosts, and (live) how many listen. */
function HostLine({ room, count }: { room: Room; count?: number }) {
	const t = useT();

	return (
		<p className="embed-meta">
			<span>
				<Trans k="card.hostedBy" values={{ names: <bdi>{room.host.displayName}</bdi> }} />
			</span>
			{count !== undefined && (
				<>
					<span aria-hidden="true">·</span>
					<UsersIcon />
					<span>{t('room.listenerCount', { count })}</span>
				</>
			)}
		</p>
	);
}

/** The live room: listener count, the stage with Play/Stop beside it, and what stands in the way of sound. */
function LivePlayer({ room, hosts }: { room: Room; hosts: readonly UserSummary[] }) {
	const t = useT();
	const client = useRoomSession((s) => (s.client?.roomId === room.id ? s.client : null));
	const status = useRoomStore((s) => (s.roomId === room.id ? s.status : 'idle'));
	const closeReason = useRoomStore((s) => (s.roomId === room.id ? s.closeReason : null));
	const closeError = useRoomStore((s) => (s.roomId === room.id ? s.closeError : null));
	const liveCount = useRoomStore((s) => (s.roomId === room.id ? s.live?.listenerCount : undefined));
	const blocked = useAudioStore((s) => s.blocked);
	const playing = client !== null && status !== 'closed';
	// The click on Play is the user gesture browsers want before a framed page may play sound.
	const play = useCallback(() => joinSession(room.id), [room.id]);
	const failure: MessageKey | null =
		client && status === 'closed' && closeReason !== 'left' && closeReason !== 'ended'
			? closeReason === 'removed'
				? 'room.closed.removed'
				: (closeError ?? 'room.closed.failed')
			: null;

	return (
		<>
			<HostLine room={room} count={(playing ? liveCount : undefined) ?? room.listenerCount} />
			<div className="embed-row">
				<EmbedSpeakers roomId={room.id} hosts={hosts} />
				<button
					type="button"
					className={`button ${playing ? '' : 'button-primary '}embed-play`}
					onClick={playing ? () => void leaveSession() : play}
				>
					<VolumeIcon />
					{t(playing ? 'embed.stop' : 'embed.play')}
				</button>
			</div>
			<p className="embed-status" role="status">
				{playing && status !== 'connected' ? t('embed.connecting') : ''}
			</p>
			{playing && blocked && (
				<button type="button" className="button" onClick={() => void client?.unlockAudio()}>
					{t('room.enableAudio')}
				</button>
			)}
			{failure && (
				<p className="notice notice-error embed-notice" role="alert">
					{t(failure)}
				</p>
			)}
		</>
	);
}

/** An ended room: its replay when there is one (waiting for it while it is being mixed). */
function EndedRoom({ roomId }: { roomId: string }) {
	const t = useT();
	const [replay, setReplay] = useState<Replay | null>(null);
	const pending = replay?.recording?.state === 'recording' || replay?.recording?.state === 'processing';

	useEffect(() => {
		const controller = new AbortController();
		const load = () => loadReplay(roomId, controller.signal).then(setReplay, () => undefined);
		void load();
		const timer = pending ? setInterval(load, REPLAY_REFRESH_MS) : undefined;

		return () => {
			controller.abort();
			clearInterval(timer);
		};
	}, [roomId, pending]);

	const recording = replay?.recording;
	if (!replay || !recording?.audioUrl) {
		return (
			<p className="embed-meta" role="status">
				{t(pending ? 'replay.processing' : 'roompage.ended')}
			</p>
		);
	}

	return (
		<div className="embed-replay">
			<ReplayPlayer
				audioUrl={recording.audioUrl}
				durationMs={recording.durationMs ?? replay.timeline?.durationMs ?? 0}
				timeline={replay.timeline}
				peaks={replay.peaks}
			/>
		</div>
	);
}

/**
 * `/embed/rooms/:id`: the compact player other sites put in an `<iframe>`: title, host, state, who is on
 * stage (with the speaking ring), Play/Stop and the listener count, or the replay once it ended. It
 * listens as whoever this browser is on Majlis here (anonymous in a third-party frame); the server
 * decides whether that may hear the room, and private rooms only say so and link to Majlis.
 */
export function EmbedPage({ roomId }: { roomId: string }) {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const [room, setRoom] = useState<Room | null>(null);
	const [error, setError] = useState<MessageKey | null>(null);
	const joined = useRoomStore((s) => s.roomId === roomId && s.status !== 'idle' && s.status !== 'closed');
	const ended = useRoomStore((s) => s.roomId === roomId && s.closeReason === 'ended');
	const title = useRoomStore((s) => (s.roomId === roomId ? s.live?.room.title : undefined));
	const over = room?.state === 'ended';

	useEffect(() => {
		const controller = new AbortController();
		const load = () =>
			getRoom(roomId, controller.signal).then(
				(loaded) => {
					setRoom(loaded);
					setError(null);
				},
				(e: Error) => {
					if (e.name !== 'AbortError') {
						setError(errorMessageKey(e));
					}
				}
			);
		void load();
		// Joined, the room's own events keep the page current; ended, nothing changes any more.
		const timer = joined || over ? undefined : setInterval(load, REFRESH_MS);

		return () => {
			controller.abort();
			clearInterval(timer);
		};
	}, [roomId, joined, over]);

	useEffect(() => {
		if (ended) {
			setRoom((r) => (r && r.state !== 'ended' ? { ...r, state: 'ended' } : r));
		}
	}, [ended]);

	if (!room) {
		return (
			<main className="embed">
				{error ? (
					<>
						<h1 className="embed-title">{t(error === 'error.notFound' ? 'embed.unavailable' : error)}</h1>
						<OpenLink roomId={roomId} />
					</>
				) : (
					<p className="embed-meta" role="status">
						{t('roompage.loading')}
					</p>
				)}
			</main>
		);
	}

	const hosts: UserSummary[] = [room.host, ...room.cohosts];

	return (
		<main className="embed" aria-labelledby="embed-title">
			<div className="embed-top">
				<div className="embed-heading">
					<StateBadge state={room.state} />
					<h1 id="embed-title" className="embed-title" dir="auto">
						{title ?? room.title}
					</h1>
				</div>
				<OpenLink roomId={room.id} />
			</div>
			{room.state === 'live' ? (
				<LivePlayer room={room} hosts={hosts} />
			) : room.state === 'scheduled' ? (
				<>
					<HostLine room={room} />
					<EmbedSpeakers roomId={room.id} hosts={hosts} />
					<p className="embed-meta">
						<CalendarIcon />{' '}
						{room.scheduledFor
							? t('roompage.scheduledFor', { time: formatDateTime(lang, room.scheduledFor) })
							: t('card.noTime')}
					</p>
				</>
			) : (
				<>
					<HostLine room={room} />
					<EndedRoom roomId={room.id} />
				</>
			)}
		</main>
	);
}
