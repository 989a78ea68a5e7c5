// The operating system's media controls (lock screen, notification shade, headset buttons) through the
// Media Session API, and a screen wake lock for speakers. Both are optional in browsers: every call is
// guarded, so a browser without them simply shows no controls.

/** What the lock screen shows and does for a room. */
export interface LockScreenRoom {
	/** The room's title (the "track" title). */
	title: string;
	/** The host's display name (the "artist"), when known. */
	host: string | null;
	/** App name shown as the "album". */
	app: string;
	/** Pause: silence this device (the room goes on). */
	onPause(): void;
	/** Play: sound again. */
	onPlay(): void;
	/** Stop: leave the room. */
	onStop(): void;
}

const ARTWORK: MediaImage[] = [
	{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
	{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
];

function session(): MediaSession | null {
	return typeof navigator !== 'undefined' && 'mediaSession' in navigator ? navigator.mediaSession : null;
}

function setHandler(
	media: MediaSession,
	action: MediaSessionAction,
	handler: MediaSessionActionHandler | null
) {
	try {
		media.setActionHandler(action, handler);
	} catch {
		// This browser does not know the action ("stop" is missing in some); the others still work.
	}
}

/** Shows the room on the lock screen and wires its actions; returns the cleanup. */
export function showOnLockScreen(room: LockScreenRoom): () => void {
	const media = session();
	if (!media) {
		return () => undefined;
	}
	updateLockScreen(room);
	media.playbackState = 'playing';
	setHandler(media, 'pause', () => {
		media.playbackState = 'paused';
		room.onPause();
	});
	setHandler(media, 'play', () => {
		media.playbackState = 'playing';
		room.onPlay();
	});
	setHandler(media, 'stop', () => room.onStop());

	return () => {
		for (const action of ['pause', 'play', 'stop'] as const) {
			setHandler(media, action, null);
		}
		media.metadata = null;
		media.playbackState = 'none';
	};
}

/** Updates the title and host shown (the room was renamed, the host changed). */
export function updateLockScreen(room: Pick<LockScreenRoom, 'title' | 'host' | 'app'>): void {
	const media = session();
	if (!media || typeof MediaMetadata === 'undefined') {
		return;
	}
	media.metadata = new MediaMetadata({
		title: room.title,
		artist: room.host ?? '',
		album: room.app,
		artwork: ARTWORK,
	});
}

/** Tells the lock screen whether this device is playing (after an in-page pause or resume). */
export function setLockScreenPlaying(playing: boolean): void {
	const media = session();
	if (media) {
		media.playbackState = playing ? 'playing' : 'paused';
	}
}

/**
 * Keeps the screen on while `active` (a speaker on stage: a phone that locks itself mid-sentence drops
 * the microphone in some browsers). The browser releases the lock when the page is hidden; it is taken
 * again when the page comes back. Returns the cleanup.
 */
export function holdWakeLock(): () => void {
	if (typeof navigator === 'undefined' || !('wakeLock' in navigator)) {
		return () => undefined;
	}
	let lock: WakeLockSentinel | null = null;
	let stopped = false;
	const take = () => {
		if (stopped || document.visibilityState !== 'visible' || (lock && !lock.released)) {
			return;
		}
		navigator.wakeLock.request('screen').then(
			(sentinel) => {
				if (stopped) {
					void sentinel.release();
				} else {
					lock = sentinel;
				}
			},
			() => undefined // Refused (battery saver, no permission): the screen may lock, nothing breaks.
		);
	};
	take();
	document.addEventListener('visibilitychange', take);

	return () => {
		stopped = true;
		document.removeEventListener('visibilitychange', take);
		void lock?.release().catch(() => undefined);
		lock = null;
	};
}
