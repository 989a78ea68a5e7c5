import { InvalidStateError, type NotificationData, type ServerNotification } from '@majlis/protocol';
import type { Media } from './MediaSession';
import type { Session } from './RoomConnection';

/**
 * Hands the notifications that are about the session's audio (a voice to receive, a voice gone) to its
 * {@link Media}; true when `notification` was one of them, false when it is a change of the room state.
 */
export function applyMediaNotification(
	media: Media,
	session: Session,
	notification: ServerNotification
): boolean {
	if (notification.type === 'consumer:new') {
		media.consume(session, notification.data as NotificationData<'consumer:new'>).catch((error: unknown) => {
			// A voice set up by a session that has since ended, or refused as it closed, is no news.
			if (session.current && !(error instanceof InvalidStateError)) {
				console.warn('RoomClient | could not consume', error);
			}
		});

		return true;
	}
	if (notification.type === 'consumer:closed') {
		media.closeConsumer((notification.data as NotificationData<'consumer:closed'>).consumerId);

		return true;
	}

	return false;
}
