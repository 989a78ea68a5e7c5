import type { Notification } from '@majlis/protocol';
import type { Translate } from '../../i18n';

/** The sentence a notification shows, in the reader's language. */
export function notificationText(t: Translate, n: Notification): string {
	return t(`notif.kind.${n.kind}`, {
		actor: n.actor?.displayName ?? t('notif.someone'),
		room: n.room?.title ?? t('notif.aRoom'),
	});
}

/** Where a notification leads: the room (its replay when that is what it announces). */
export function notificationPath(n: Notification): string {
	if (!n.room) {
		return '/notifications';
	}

	return n.kind === 'replay' ? `/rooms/${n.room.id}/replay` : `/rooms/${n.room.id}`;
}
