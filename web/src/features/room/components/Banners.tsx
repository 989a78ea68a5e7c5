import { useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../../i18n';
import { formatTime, useLangStore, useT } from '../../../i18n';
import { Trans } from '../../../i18n/Trans';
import { useRecordingEnabled } from '../../replay/useRecordingEnabled';
import { useRoomClient } from '../RoomClientContext';
import { useAudioStore } from '../stores/useAudioStore';
import { useMicStore } from '../stores/useMicStore';
import { announcementText } from './LiveAnnouncer';
import { useRoomStore } from '../stores/useRoomStore';
import { MicCheck } from './MicCheck';

/** "Connecting…" / "Reconnecting…" while signalling is not up. */
export function ConnectionBanner() {
	const t = useT();
	const status = useRoomStore((s) => s.status);
	const text =
		status === 'connecting' ? t('room.connecting') : status === 'reconnecting' ? t('room.reconnecting') : '';

	return (
		<div role="status" className={text ? 'banner banner-info' : 'sr-only'}>
			{text && <span className="spinner" aria-hidden="true" />}
			{text}
		</div>
	);
}

/** While the host is away: until when the room waits for them. */
export function HostAwayBanner() {
	const t = useT();
	const lang = useLangStore((s) => s.lang);
	const until = useRoomStore((s) => s.live?.hostAwayUntil ?? null);
	if (until === null) {
		return null;
	}

	return <p className="banner banner-warning">{t('room.hostAway', { time: formatTime(lang, until) })}</p>;
}

/** "Tap to enable audio" when the browser blocked autoplay. */
export function AudioUnlockBanner() {
	const t = useT();
	const client = useRoomClient();
	const blocked = useAudioStore((s) => s.blocked);
	if (!blocked) {
		return null;
	}

	return (
		<div className="banner banner-warning" role="alert">
			<span>{t('room.audioBlocked')}</span>
			<button type="button" className="button button-primary" onClick={() => void client.unlockAudio()}>
				{t('room.enableAudio')}
			</button>
		</div>
	);
}

/** Why the microphone failed, with a retry. */
export function MicErrorBanner() {
	const t = useT();
	const client = useRoomClient();
	const error = useMicStore((s) => s.error);
	const onStage = useRoomStore((s) => s.live?.self.onStage ?? false);
	if (!error || !onStage) {
		return null;
	}

	return (
		<div className="banner banner-error" role="alert">
			<span>{t(`room.mic.${error}`)}</span>
			<button type="button" className="button" onClick={() => void client.retryMic()}>
				{t('room.mic.retry')}
			</button>
		</div>
	);
}

/** The last failed action. */
export function ActionErrorBanner() {
	const t = useT();
	const client = useRoomClient();
	const error = useRoomStore((s) => s.actionError);
	if (!error) {
		return null;
	}

	return (
		<div className="banner banner-error" role="alert">
			<span>{t(error.key)}</span>
			<button
				type="button"
				className="button button-quiet button-small"
				onClick={() => client.dismissError()}
			>
				{t('room.dismiss')}
			</button>
		</div>
	);
}

/** A pending invitation to the stage, with Accept and Decline. */
export function InvitationBanner() {
	const t = useT();
	const client = useRoomClient();
	const invited = useRoomStore((s) => s.live?.self.invited ?? false);
	const by = useRoomStore((s) => s.live?.invitedBy ?? null);
	// Accepting is consent: an invitation says so when the room is (or may be) recorded.
	const recordingNow = useRoomStore((s) => (s.live?.recording ?? null) !== null);
	const recordable = useRecordingEnabled(client.roomId);
	const acceptRef = useRef<HTMLButtonElement>(null);

	// Keyboard users whose focus was on the controls (or nowhere) land on Accept; others keep their place.
	useEffect(() => {
		if (!invited) {
			return;
		}
		const active = document.activeElement;
		if (!active || active === document.body || active.closest('.controls')) {
			acceptRef.current?.focus();
		}
	}, [invited]);

	if (!invited) {
		return null;
	}

	return (
		<section className="banner banner-invite" aria-labelledby="invite-text">
			<span id="invite-text">
				{by ? <Trans k="room.invitedBy" values={{ name: <bdi>{by.displayName}</bdi> }} /> : t('room.invited')}
				{(recordingNow || recordable) && (
					<span className="invite-recorded"> {t('recording.inviteNotice')}</span>
				)}
			</span>
			<span className="banner-actions">
				<button
					ref={acceptRef}
					type="button"
					className="button button-primary"
					onClick={() => client.acceptInvite()}
				>
					{t('room.accept')}
				</button>
				<button type="button" className="button" onClick={() => client.declineInvite()}>
					{t('room.decline')}
				</button>
				<MicCheck />
			</span>
		</section>
	);
}

// What happened to the viewer, or to the whole room, is shown too, not only read out.
const SHOWN: ReadonlySet<MessageKey> = new Set<MessageKey>(['announce.youWereMuted', 'announce.hostChanged']);
const NOTICE_MS = 10_000;

/** "Layla muted you", "Omar is the host now": visible for a while (the live region reads them out too). */
export function NoticeBanner() {
	const t = useT();
	const latest = useRoomStore((s) => s.announcements.findLast((a) => SHOWN.has(a.key)) ?? null);
	const [dismissed, setDismissed] = useState<number | null>(null);

	useEffect(() => {
		if (!latest) {
			return;
		}
		const timer = setTimeout(() => setDismissed(latest.id), NOTICE_MS);

		return () => clearTimeout(timer);
	}, [latest]);

	if (!latest || latest.id === dismissed) {
		return null;
	}

	return (
		<div className="banner banner-info">
			<span>{announcementText(t, latest)}</span>
			<button
				type="button"
				className="button button-quiet button-small"
				onClick={() => setDismissed(latest.id)}
			>
				{t('room.dismiss')}
			</button>
		</div>
	);
}
