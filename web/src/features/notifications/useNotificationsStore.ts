import type { Notification } from '@majlis/protocol';
import { create } from 'zustand';
import { fetchNotifications, markAllRead, markRead } from './notificationsApi';
import { followNotifications } from './notificationStream';

/** State of the notification centre. */
export interface NotificationsState {
	items: Notification[];
	unread: number;
	/** The newest notification that arrived live and has not been dismissed (shown as a toast). */
	fresh: Notification | null;
	/** Starts following the signed-in user's stream; returns its stop. */
	start(): () => void;
	/** Reloads the list. */
	load(): Promise<void>;
	read(id: string): Promise<void>;
	readAll(): Promise<void>;
	dismiss(): void;
}

/** The bell's notifications: loaded once, then kept current by the per-user stream. */
export const useNotificationsStore = create<NotificationsState>()((set, get) => ({
	items: [],
	unread: 0,
	fresh: null,
	start() {
		return followNotifications(
			(event) => {
				if (event.type === 'notification') {
					const items = [event.notification, ...get().items.filter((n) => n.id !== event.notification.id)];
					set({ items: items.slice(0, 50), unread: event.unread, fresh: event.notification });
				} else {
					set({ unread: event.unread });
				}
			},
			// On every (re)connection: catch up with what came while the stream was down.
			() => void get().load()
		);
	},
	async load() {
		try {
			const list = await fetchNotifications();
			set({ items: list.items, unread: list.unread });
		} catch {
			// The bell keeps what it has; the next connection retries.
		}
	},
	async read(id) {
		set({ items: get().items.map((n) => (n.id === id ? { ...n, read: true } : n)) });
		const { unread } = await markRead(id);
		set({ unread });
	},
	async readAll() {
		set({ items: get().items.map((n) => ({ ...n, read: true })), unread: 0 });
		await markAllRead();
	},
	dismiss() {
		set({ fresh: null });
	},
}));
