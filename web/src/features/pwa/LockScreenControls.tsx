import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n';
import {
	holdWakeLock,
	setLockScreenPlaying,
	showOnLockScreen,
	updateLockScreen,
} from '../room/lib/mediaSessionControls';
import { preferredMic } from '../room/lib/micDevice';
import type { RoomClient } from '../room/RoomClient';
import { useMicStore } from '../room/stores/useMicStore';
import { useRoomStore } from '../room/stores/useRoomStore';

/**
 * Listening with the screen locked: the room on the lock screen (title, host, artwork) with pause
 * (silence this device), play and stop (leave); a wake lock while on stage; and, after the page comes
 * back from the background, a one-tap way to bring back a microphone the system took away. Renders a
 * banner only while paused or while the microphone needs that tap.
 */
export function LockScreenControls({ client, onLeave }: { client: RoomClient; onLeave(): void }) {
	const t = useT();
	const title = useRoomStore((s) => s.live?.room.title ?? null);
	const host = useRoomStore((s) => {
		const live = s.live;

		return live?.stage.find((m) => m.userId === live.hostId)?.displayName ?? null;
	});
	const onStage = useRoomStore((s) => s.live?.self.onStage ?? false);
	const mic = useMicStore((s) => s.status);
	const [paused, setPaused] = useState(false);
	const [micLost, setMicLost] = useState(false);
	const leaveRef = useRef(onLeave);
	leaveRef.current = onLeave;
	const app = t('app.name');
	const live = title !== null;

	// biome-ignore lint/correctness/useExhaustiveDependencies: wired once per joined room; the texts update below.
	useEffect(() => {
		if (!live) {
			return;
		}

		return showOnLockScreen({
			title: title ?? '',
			host,
			app,
			onPause: () => {
				client.setOutputMuted(true);
				setPaused(true);
			},
			onPlay: () => {
				client.setOutputMuted(false);
				setPaused(false);
			},
			onStop: () => leaveRef.current(),
		});
	}, [client, live]);

	useEffect(() => {
		if (title !== null) {
			updateLockScreen({ title, host, app });
		}
	}, [title, host, app]);

	useEffect(() => (onStage ? holdWakeLock() : undefined), [onStage]);

	// Phones may end or silence the microphone while the page is in the background; say so on return.
	useEffect(() => {
		if (!onStage) {
			setMicLost(false);

			return;
		}
		const check = () => {
			if (document.visibilityState !== 'visible') {
				return;
			}
			const track = client.micTrack;
			setMicLost(track !== null && (track.readyState === 'ended' || track.muted));
		};
		document.addEventListener('visibilitychange', check);

		return () => document.removeEventListener('visibilitychange', check);
	}, [client, onStage]);

	function resume() {
		client.setOutputMuted(false);
		setLockScreenPlaying(true);
		setPaused(false);
	}

	async function restoreMic() {
		// A live producer gets a fresh track (the system muted the old one); otherwise start over.
		await (client.micTrack ? client.switchMicrophone(preferredMic()) : client.retryMic()).catch(
			() => undefined
		);
		setMicLost(false);
	}

	return (
		<>
			{paused && (
				<div className="banner banner-info" role="status">
					<span>{t('lock.paused')}</span>
					<div className="banner-actions">
						<button type="button" className="button button-primary" onClick={resume}>
							{t('lock.resume')}
						</button>
					</div>
				</div>
			)}
			{micLost && mic !== 'failed' && (
				<div className="banner banner-warning" role="alert">
					<span>{t('lock.micLost')}</span>
					<div className="banner-actions">
						<button type="button" className="button button-primary" onClick={() => void restoreMic()}>
							{t('lock.micRestore')}
						</button>
					</div>
				</div>
			)}
		</>
	);
}
