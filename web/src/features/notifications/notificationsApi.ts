import type { Notification, NotificationList, NotificationPreference, ReminderState } from '@majlis/protocol';
import { api } from '../../api';

/** The newest notifications and the unread count. */
export function fetchNotifications(): Promise<NotificationList> {
	return api<NotificationList>('/api/me/notifications');
}

/** Marks one notification read; resolves with the new unread count. */
export function markRead(id: string): Promise<{ unread: number }> {
	return api<{ unread: number }>(`/api/me/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

/** Marks every notification read. */
export function markAllRead(): Promise<void> {
	return api<void>('/api/me/notifications/read-all', { method: 'POST' });
}

/** Per-kind choices. */
export function fetchPreferences(): Promise<NotificationPreference[]> {
	return api<NotificationPreference[]>('/api/me/notification-preferences');
}

/** Saves choices; resolves with all of them. */
export function savePreferences(preferences: NotificationPreference[]): Promise<NotificationPreference[]> {
	return api<NotificationPreference[]>('/api/me/notification-preferences', {
		method: 'PUT',
		body: preferences,
	});
}

/** Whether the caller asked to be reminded of a room (and, for its staff, how many did). */
export function fetchReminder(roomId: string): Promise<ReminderState> {
	return api<ReminderState>(`/api/rooms/${encodeURIComponent(roomId)}/reminder`);
}

/** Asks for (or withdraws) the reminder. */
export function setReminder(roomId: string, on: boolean): Promise<ReminderState> {
	return api<ReminderState>(`/api/rooms/${encodeURIComponent(roomId)}/reminder`, {
		method: on ? 'PUT' : 'DELETE',
	});
}

/** The VAPID key, or null when the server has no Web Push. */
export async function fetchPushKey(): Promise<string | null> {
	try {
		return (await api<{ publicKey: string }>('/api/push/key')).publicKey;
	} catch {
		return null;
	}
}

/** Registers this browser's push subscription. */
export function savePushSubscription(subscription: PushSubscriptionJSON): Promise<void> {
	return api<void>('/api/me/push-subscriptions', { method: 'PUT', body: subscription });
}

/** Forgets this browser's push subscription. */
export function deletePushSubscription(endpoint: string): Promise<void> {
	return api<void>('/api/me/push-subscriptions', { method: 'DELETE', body: { endpoint } });
}

/** The secret URL of the caller's calendar feed; `rotate` makes a new one. */
export function fetchCalendarFeed(rotate = false): Promise<{ url: string }> {
	return api<{ url: string }>('/api/me/calendar-feed', rotate ? { method: 'POST' } : {});
}

/** Turns the calendar feed off. */
export function revokeCalendarFeed(): Promise<void> {
	return api<void>('/api/me/calendar-feed', { method: 'DELETE' });
}

export type { Notification };
